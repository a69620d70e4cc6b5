package io.volant.volantd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The codec edges of volantd's one HTTP client ({@link AgentHttp}), straight over TCP and through a loopback relay
 * (the path of namespaced and vsock guests): every framing delivers the body intact, the size cap is enforced and
 * named, and a peer that does not speak HTTP is an {@link IOException} after which the next request works.
 */
class AgentHttpPropertiesTest {
    private static final int MAX = 64 * 1024;

    private final AgentHttp http = new AgentHttp();

    enum Framing { LENGTH, CHUNKED, CLOSE }

    @AfterProperty
    void close() {
        http.close();
    }

    @Property(tries = 40)
    void every_framing_delivers_the_body_intact(@ForAll @Size(max = 20_000) byte[] body, @ForAll Framing framing,
            @ForAll @IntRange(min = 1, max = 5_000) int chunk, @ForAll boolean relayed) throws Exception {
        try (Peer peer = new Peer(response(body, framing, chunk))) {
            AgentHttp.Response r = http.request(peer.transport(relayed), peer.port(), "GET", "/x", Map.of(),
                    new byte[0], MAX);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(body);
        }
    }

    @Property(tries = 15)
    void a_body_over_the_cap_is_refused_naming_the_cap(@ForAll @IntRange(min = MAX + 1, max = 3 * MAX) int size,
            @ForAll Framing framing, @ForAll boolean relayed) throws Exception {
        try (Peer peer = new Peer(response(new byte[size], framing, 4096))) {
            assertThatThrownBy(() -> http.request(peer.transport(relayed), peer.port(), "GET", "/x", Map.of(),
                    new byte[0], MAX)).isInstanceOf(IOException.class)
                    .hasMessage("agent response exceeds " + MAX + " bytes");
        }
    }

    @Property(tries = 20)
    void a_peer_that_does_not_speak_http_is_an_io_error_and_the_next_request_works(
            @ForAll @AlphaChars @StringLength(min = 1, max = 60) String garbage, @ForAll boolean relayed)
            throws Exception {
        try (Peer bad = new Peer((garbage + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII))) {
            assertThatThrownBy(() -> http.request(bad.transport(relayed), bad.port(), "GET", "/x", Map.of(),
                    new byte[0], MAX)).isInstanceOf(IOException.class);
        }
        byte[] ok = "fine".getBytes(StandardCharsets.US_ASCII);
        try (Peer good = new Peer(response(ok, Framing.LENGTH, 1))) {
            assertThat(http.request(good.transport(relayed), good.port(), "GET", "/x", Map.of(), new byte[0], MAX)
                    .body()).isEqualTo(ok);
        }
    }

    @Property(tries = 15)
    void a_body_cut_short_is_an_io_error(@ForAll @IntRange(min = 1, max = 5_000) int missing,
            @ForAll boolean chunked, @ForAll boolean relayed) throws Exception {
        byte[] sent = new byte[1000];
        byte[] head = (chunked ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(sent.length + missing) + "\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: " + (sent.length + missing) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Peer peer = new Peer(concat(head, sent))) {
            assertThatThrownBy(() -> http.request(peer.transport(relayed), peer.port(), "GET", "/x", Map.of(),
                    new byte[0], MAX)).isInstanceOf(IOException.class);
        }
    }

    private static byte[] response(byte[] body, Framing framing, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = switch (framing) {
            case LENGTH -> "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n";
            case CHUNKED -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            case CLOSE -> "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
        };
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        if (framing == Framing.CHUNKED) {
            for (int off = 0; off < body.length; off += chunk) {
                int n = Math.min(chunk, body.length - off);
                out.writeBytes((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, off, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Answers every connection with {@code answer} (written in small pieces) after the request head, then closes. */
    private static final class Peer implements AutoCloseable {
        private final ServerSocket server;

        Peer(byte[] answer) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s, answer));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void serve(Socket s, byte[] answer) {
            try (s) {
                InputStream in = s.getInputStream();
                int seen = 0;
                for (int c; seen < 4 && (c = in.read()) >= 0; ) {
                    seen = (c == '\r' || c == '\n') ? seen + 1 : 0;
                }
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < answer.length; off += 1500) {
                    out.write(answer, off, Math.min(1500, answer.length - off));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        int port() {
            return server.getLocalPort();
        }

        /** Plain TCP (java.net.http straight to the peer) or a stream the client can only reach through a relay. */
        AgentTransport transport(boolean relayed) {
            if (!relayed) {
                return new TcpTransport("127.0.0.1", 2_000);
            }
            return new AgentTransport() {
                @Override
                public ByteChannel open(int port) throws IOException {
                    return SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }

                @Override
                public String describe() {
                    return "relayed:" + port();
                }
            };
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
