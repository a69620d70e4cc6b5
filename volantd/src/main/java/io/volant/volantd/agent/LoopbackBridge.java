package io.volant.volantd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener on loopback whose clients are each spliced onto a fresh {@link AgentTransport} stream to a guest
 * port, so URL-based clients (java.net.http's HTTP client and WebSocket) reach guests that only the agent transport
 * can reach (VMs in {@code VOLANT_NETNS}, vsock-only guests). {@link #open} serves one connection, which must arrive
 * within its accept timeout, and closes when either side ends; {@link #relay} serves connections until closed (the
 * HTTP client keeps its connections to it alive and reuses them).
 */
public final class LoopbackBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopbackBridge.class);

    private final ServerSocket server;
    private final int guestPort;
    private final boolean once;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<AutoCloseable> streams = ConcurrentHashMap.newKeySet();
    private volatile AgentTransport transport;
    private volatile long lastUse = System.nanoTime();

    private LoopbackBridge(ServerSocket server, AgentTransport transport, int guestPort, boolean once) {
        this.server = server;
        this.transport = transport;
        this.guestPort = guestPort;
        this.once = once;
    }

    /** One connection: listens on {@code 127.0.0.1:<free port>} and starts accepting in the background. */
    public static LoopbackBridge open(AgentTransport transport, int guestPort, Duration acceptTimeout)
            throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        s.setSoTimeout((int) Math.max(1, acceptTimeout.toMillis()));
        return start(new LoopbackBridge(s, transport, guestPort, true));
    }

    /** Any number of connections, each onto its own guest stream, until {@link #close()}. */
    static LoopbackBridge relay(AgentTransport transport, int guestPort) throws IOException {
        return start(new LoopbackBridge(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), transport,
                guestPort, false));
    }

    private static LoopbackBridge start(LoopbackBridge b) {
        Thread.ofVirtual().name("loopback-bridge-" + b.localPort()).start(b::accept);
        return b;
    }

    public int localPort() {
        return server.getLocalPort();
    }

    /** The transport for connections accepted from now on (the guest's may change, e.g. a re-entered namespace). */
    void use(AgentTransport current) {
        this.transport = current;
        this.lastUse = System.nanoTime();
    }

    /** True when no connection is open and nothing used the relay for {@code idle}. */
    boolean idleFor(Duration idle) {
        return streams.isEmpty() && System.nanoTime() - lastUse > idle.toNanos();
    }

    private void accept() {
        try {
            do {
                Socket client = server.accept();
                if (once) {
                    server.close();
                    splice(client);
                } else {
                    Thread.ofVirtual().start(() -> splice(client));
                }
            } while (!once && !closed.get());
        } catch (SocketTimeoutException e) {
            log.debug("loopback bridge not used target={} port={}", transport.describe(), guestPort);
            close();
        } catch (IOException e) {
            if (!closed.get()) {
                log.debug("loopback bridge stopped target={} port={} error={}", transport.describe(), guestPort,
                        e.getMessage());
                close();
            }
        }
    }

    private void splice(Socket client) {
        streams.add(client);
        ByteChannel guest = null;
        try {
            guest = transport.open(guestPort);
            streams.add(guest);
            ByteChannel g = guest;
            Thread up = Thread.ofVirtual().start(() -> pump(safeInput(client), Channels.newOutputStream(g), client, g));
            pump(Channels.newInputStream(guest), safeOutput(client), client, guest);
            up.join();
        } catch (IOException e) {
            log.debug("loopback bridge failed target={} port={} error={}", transport.describe(), guestPort,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(guest);
            streams.remove(client);
            if (guest != null) {
                streams.remove(guest);
            }
            lastUse = System.nanoTime();
            if (once) {
                close();
            }
        }
    }

    /** Copies until one side ends, then closes both so that the opposite pump ends too. */
    private static void pump(InputStream in, OutputStream out, Socket client, ByteChannel guest) {
        byte[] buf = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // one side went away
        }
        closeQuietly(client);
        closeQuietly(guest);
    }

    private static InputStream safeInput(Socket s) {
        try {
            return s.getInputStream();
        } catch (IOException e) {
            return InputStream.nullInputStream();
        }
    }

    private static OutputStream safeOutput(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            return OutputStream.nullOutputStream();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        streams.forEach(LoopbackBridge::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
