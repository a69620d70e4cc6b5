package io.volant.kestrel.vsock;

import io.volant.kestrel.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the agent API on a second listener by relaying every accepted connection byte for byte to the TCP listener
 * (plugins-and-guest.md §2.10: "both serve the same handler"). The JDK HTTP server cannot accept from a non-TCP
 * socket, so a relay is the one way to share it. Pumps run on platform threads: the vsock side blocks in native
 * {@code read(2)}, which would pin a virtual thread's carrier.
 */
public final class Relay implements AutoCloseable {
    private final StreamListener listener;
    private final InetSocketAddress target;
    private final Log log;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    public Relay(StreamListener listener, InetSocketAddress target, Log log) {
        this.listener = listener;
        this.target = target;
        this.log = log;
    }

    /** Starts the accept loop and returns. */
    public Relay start() {
        Thread.ofPlatform().name("kestrel-relay-accept").daemon().start(this::acceptLoop);
        log.info("relay listening", "listen", listener.describe(), "target", target.getHostString() + ":"
                + target.getPort());
        return this;
    }

    private void acceptLoop() {
        while (!closed) {
            StreamListener.Connection c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.info("relay accept failed; relay stopped", "listen", listener.describe(), "error",
                            e.getMessage());
                }
                return;
            }
            int id = connections.incrementAndGet();
            Thread.ofPlatform().name("kestrel-relay-" + id).daemon().start(() -> serve(c));
        }
    }

    private void serve(StreamListener.Connection c) {
        try (c; Socket tcp = new Socket()) {
            tcp.connect(target, 5_000);
            Thread up = Thread.ofPlatform().daemon().start(() -> pump(c.in(), tcpOut(tcp), tcp::shutdownOutput));
            pump(tcp.getInputStream(), c.out(), c::shutdownOutput);
            up.join();
        } catch (IOException e) {
            log.info("relay connection failed", "listen", listener.describe(), "error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OutputStream tcpOut(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface HalfClose {
        void run() throws IOException;
    }

    /** Copies until EOF (or an error), then half-closes the destination so the other side sees the end. */
    private static void pump(InputStream in, OutputStream out, HalfClose done) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // Either side went away; the half-close below ends the other direction.
        }
        try {
            done.run();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            log.info("relay close failed", "listen", listener.describe(), "error", e.getMessage());
        }
    }
}
