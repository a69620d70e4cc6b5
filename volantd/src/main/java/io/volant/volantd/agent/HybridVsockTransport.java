package io.volant.volantd.agent;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * §7.3 step 2: Cloud Hypervisor's hybrid vsock (plugins-and-guest.md §2.10). Connect to {@code <R>/<name>.vsock},
 * send {@code CONNECT <port>\n}, expect one line {@code OK <host port>\n}; afterwards the stream is the guest's
 * connection. The reply is read byte by byte so that no payload byte is consumed with it.
 */
public final class HybridVsockTransport implements AgentTransport {
    /** A reply line longer than this is not a handshake reply. */
    private static final int MAX_REPLY = 64;

    private final Path socket;

    public HybridVsockTransport(Path socket) {
        this.socket = socket;
    }

    @Override
    public ByteChannel open(int port) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        try {
            ByteBuffer req = ByteBuffer.wrap(("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                ch.write(req);
            }
            StringBuilder line = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                if (ch.read(one) < 0) {
                    throw new IOException("vsock handshake with " + socket + " port " + port + ": connection closed"
                            + (line.isEmpty() ? "" : " after \"" + line + "\""));
                }
                char c = (char) (one.get(0) & 0xFF);
                if (c == '\n') {
                    break;
                }
                line.append(c);
                if (line.length() > MAX_REPLY) {
                    throw new IOException("vsock handshake with " + socket + ": reply longer than " + MAX_REPLY
                            + " bytes");
                }
            }
            String reply = line.toString().trim();
            if (!reply.matches("OK \\d+")) {
                throw new IOException("vsock handshake with " + socket + " port " + port + ": unexpected reply \""
                        + reply + "\"");
            }
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "vsock:" + socket;
    }
}
