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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-connection TCP listener on loopback whose single client is spliced onto a fresh {@link AgentTransport}
 * stream to a guest port, so URL-based clients (java.net.http's WebSocket) reach guests that only the agent
 * transport can reach (VMs in {@code VOLANT_NETNS}, vsock-only guests). The first connection must arrive within
 * {@code acceptTimeout}; the bridge closes itself when either side ends.
 */
public final class LoopbackBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoopbackBridge.class);

    private final ServerSocket server;
    private final AgentTransport transport;
    private final int guestPort;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Socket client;
    private volatile ByteChannel guest;

    private LoopbackBridge(ServerSocket server, AgentTransport transport, int guestPort) {
        this.server = server;
        this.transport = transport;
        this.guestPort = guestPort;
    }

    /** Listens on {@code 127.0.0.1:<free port>} and starts accepting in the background. */
    public static LoopbackBridge open(AgentTransport transport, int guestPort, Duration acceptTimeout)
            throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        s.setSoTimeout((int) Math.max(1, acceptTimeout.toMillis()));
        LoopbackBridge b = new LoopbackBridge(s, transport, guestPort);
        Thread.ofVirtual().name("loopback-bridge-" + s.getLocalPort()).start(b::run);
        return b;
    }

    public int localPort() {
        return server.getLocalPort();
    }

    private void run() {
        try {
            client = server.accept();
            server.close();
            guest = transport.open(guestPort);
        } catch (SocketTimeoutException e) {
            log.debug("loopback bridge not used target={} port={}", transport.describe(), guestPort);
            close();
            return;
        } catch (IOException e) {
            log.debug("loopback bridge failed target={} port={} error={}", transport.describe(), guestPort,
                    e.getMessage());
            close();
            return;
        }
        try {
            InputStream fromGuest = Channels.newInputStream(guest);
            OutputStream toGuest = Channels.newOutputStream(guest);
            Thread up = Thread.ofVirtual().start(() -> pump(safeInput(client), toGuest));
            pump(fromGuest, safeOutput(client));
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private void pump(InputStream in, OutputStream out) {
        byte[] buf = new byte[16 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // one side went away: closing both ends the other pump
        }
        close();
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
        closeQuietly(client);
        closeQuietly(guest);
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
