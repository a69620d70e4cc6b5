package io.volant.volantd.console;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.UnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console hub (host-runtime.md §7.2): volantd holds the only connection to each VM's serial socket for the VM's
 * life, appends every byte to {@code <L>/<name>.console.log} and a 64 KiB ring buffer, and bridges one interactive
 * session at a time (a second gets 409 {@code console already attached}). On attach the session first receives the
 * ring buffer, then live output. Thread-safe; one reader thread per VM.
 */
public final class ConsoleHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHub.class);
    public static final int RING_BYTES = 64 * 1024;
    private static final Duration CONNECT_RETRY = Duration.ofMillis(100);

    private final Duration connectTimeout;
    private final Map<String, Console> consoles = new ConcurrentHashMap<>();

    /** @param connectTimeout how long to retry connecting to a new serial socket (10 s in volantd) */
    public ConsoleHub(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public ConsoleHub() {
        this(Duration.ofSeconds(10));
    }

    /** Starts capturing {@code socket} for {@code vm}; replaces an earlier console of the same name. */
    public void open(String vm, Path socket, Path logFile) {
        Console c = new Console(vm, socket, logFile);
        Console old = consoles.put(vm, c);
        if (old != null) {
            old.shutdown();
        }
        Thread.ofVirtual().name("console-" + vm).start(c::run);
    }

    /** Stops capturing (VM exit); an attached session sees its output end. */
    public void close(String vm) {
        Console c = consoles.remove(vm);
        if (c != null) {
            c.shutdown();
        }
    }

    /** Whether volantd captures the console of {@code vm}. */
    public boolean has(String vm) {
        return consoles.containsKey(vm);
    }

    /** The bytes currently in the ring buffer (oldest first). */
    public byte[] buffered(String vm) {
        Console c = consoles.get(vm);
        if (c == null) {
            return new byte[0];
        }
        synchronized (c.lock) {
            return c.ring.snapshot();
        }
    }

    /**
     * Attaches the interactive session.
     *
     * @param output receives the buffered output, then live output, on the hub's reader thread; must not block long
     * @throws UnavailableException {@code serial socket unavailable} when the VM has no captured console
     * @throws ConflictException    {@code console already attached}
     */
    public ConsoleSession attach(String vm, Consumer<byte[]> output) {
        return attach(vm, output, () -> { });
    }

    /**
     * As {@link #attach(String, Consumer)}; {@code onEnd} runs once when the VM's console ends (VM exit, socket
     * closed) while this session is attached, so the caller can close its WebSocket (code 1000).
     */
    public ConsoleSession attach(String vm, Consumer<byte[]> output, Runnable onEnd) {
        Console c = consoles.get(vm);
        if (c == null) {
            throw new UnavailableException("serial socket unavailable");
        }
        return c.attach(output, onEnd);
    }

    @Override
    public void close() {
        for (String vm : consoles.keySet()) {
            close(vm);
        }
    }

    private final class Console {
        private final String vm;
        private final Path socket;
        private final Path logFile;
        private final Ring ring = new Ring(RING_BYTES);
        private final Object lock = new Object();
        private volatile SocketChannel channel;
        private volatile boolean closed;
        private boolean ended;
        private Session session;

        Console(String vm, Path socket, Path logFile) {
            this.vm = vm;
            this.socket = socket;
            this.logFile = logFile;
        }

        void run() {
            SocketChannel ch = connect();
            if (ch == null) {
                end();
                return;
            }
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try (ch; OutputStream log = openLog()) {
                while (!closed) {
                    buf.clear();
                    int n = ch.read(buf);
                    if (n < 0) {
                        break;
                    }
                    byte[] chunk = new byte[n];
                    buf.flip().get(chunk);
                    if (log != null) {
                        log.write(chunk);
                        log.flush();
                    }
                    Consumer<byte[]> out;
                    synchronized (lock) {
                        ring.append(chunk);
                        out = session == null ? null : session.output;
                    }
                    deliver(out, chunk);
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.info("console read ended vm={} err={}", vm, e.toString());
                }
            } finally {
                end();
            }
        }

        private void end() {
            Session s;
            synchronized (lock) {
                ended = true;
                s = session;
                session = null;
            }
            if (s != null) {
                try {
                    s.onEnd.run();
                } catch (RuntimeException e) {
                    LOG.info("console end callback failed vm={} err={}", vm, e.toString());
                }
            }
        }

        private SocketChannel connect() {
            Instant deadline = Instant.now().plus(connectTimeout);
            while (!closed) {
                try {
                    SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    channel = ch;
                    if (closed) {
                        ch.close();
                        return null;
                    }
                    return ch;
                } catch (IOException e) {
                    if (Instant.now().isAfter(deadline)) {
                        LOG.warn("console unavailable vm={} socket={} err={}", vm, socket, e.toString());
                        return null;
                    }
                    try {
                        Thread.sleep(CONNECT_RETRY);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
            return null;
        }

        private OutputStream openLog() {
            try {
                Files.createDirectories(logFile.getParent());
                return Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("console log unavailable vm={} file={} err={}", vm, logFile, e.toString());
                return null;
            }
        }

        ConsoleSession attach(Consumer<byte[]> output, Runnable onEnd) {
            byte[] backlog;
            synchronized (lock) {
                if (ended) {
                    throw new UnavailableException("serial socket unavailable");
                }
                if (session != null) {
                    throw new ConflictException("console already attached");
                }
                session = new Session(this, output, onEnd);
                backlog = ring.snapshot();
                // Delivered under the lock so that no live chunk can overtake the backlog.
                if (backlog.length > 0) {
                    deliver(output, backlog);
                }
                return session;
            }
        }

        void detach(Session s) {
            synchronized (lock) {
                if (session == s) {
                    session = null;
                }
            }
        }

        void write(byte[] data) throws IOException {
            SocketChannel ch = channel;
            if (ch == null || closed) {
                throw new IOException("console of vm " + vm + " is not connected");
            }
            synchronized (ch) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }

        void shutdown() {
            closed = true;
            SocketChannel ch = channel;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        private void deliver(Consumer<byte[]> out, byte[] chunk) {
            if (out == null) {
                return;
            }
            try {
                out.accept(chunk);
            } catch (RuntimeException e) {
                LOG.info("console client failed vm={} err={}", vm, e.toString());
            }
        }
    }

    private static final class Session implements ConsoleSession {
        private final Console console;
        private final Consumer<byte[]> output;
        private final Runnable onEnd;
        private volatile boolean closed;

        Session(Console console, Consumer<byte[]> output, Runnable onEnd) {
            this.console = console;
            this.output = output;
            this.onEnd = onEnd;
        }

        @Override
        public void write(byte[] data) {
            if (closed) {
                return;
            }
            try {
                console.write(data);
            } catch (IOException e) {
                throw new UnavailableException("serial socket unavailable", e);
            }
        }

        @Override
        public void close() {
            closed = true;
            console.detach(this);
        }
    }

    /** Fixed-size byte ring keeping the newest bytes. Not thread-safe; guarded by the console lock. */
    static final class Ring {
        private final byte[] data;
        private int start;
        private int size;

        Ring(int capacity) {
            data = new byte[capacity];
        }

        void append(byte[] chunk) {
            int off = Math.max(0, chunk.length - data.length);
            for (int i = off; i < chunk.length; i++) {
                int pos = (start + size) % data.length;
                data[pos] = chunk[i];
                if (size < data.length) {
                    size++;
                } else {
                    start = (start + 1) % data.length;
                }
            }
        }

        byte[] snapshot() {
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = data[(start + i) % data.length];
            }
            return out;
        }
    }
}
