package io.volant.volantd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.errors.UpstreamException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AC-C3: the agent reached through a hybrid vsock socket (fake CH peer answering {@code OK 1073741824}). */
class HybridVsockTransportTest {
    @TempDir
    Path dir;

    /** A fake hybrid-vsock peer: reads the CONNECT line, answers {@code reply}, then serves one HTTP response. */
    private CompletableFuture<String> peer(Path sock, String reply, String http) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                        StandardCharsets.US_ASCII));
                String connect = in.readLine();
                OutputStream out = Channels.newOutputStream(c);
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                StringBuilder request = new StringBuilder();
                for (String l; (l = in.readLine()) != null && !l.isEmpty(); ) {
                    request.append(l).append('\n');
                }
                out.write(http.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return connect + "\n" + request;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void healthz_is_reached_through_the_connect_handshake() throws Exception {
        Path sock = dir.resolve("web.vsock");
        CompletableFuture<String> seen = peer(sock, "OK 1073741824\n",
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}");

        AgentHttp.Response r;
        try (AgentHttp http = new AgentHttp()) {
            r = http.request(new AgentTransports("").select("web", "", sock), 8080, "GET", "healthz", Map.of(),
                    new byte[0], 1 << 20);
        }

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(seen.get()).startsWith("CONNECT 8080\nGET /healthz HTTP/1.1\n");
    }

    @Test
    void a_refused_handshake_is_an_error_naming_the_reply() throws Exception {
        Path sock = dir.resolve("web.vsock");
        peer(sock, "ERR no listener\n", "");

        assertThatThrownBy(() -> new HybridVsockTransport(sock).open(8080)).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply \"ERR no listener\"");
    }

    @Test
    void a_vm_without_ip_or_vsock_socket_has_no_transport() {
        assertThatThrownBy(() -> new AgentTransports("").select("web", "", null)).isInstanceOf(UpstreamException.class)
                .hasMessage("agent unreachable: no transport for vm web");
    }

    @Test
    void a_vm_with_an_ip_uses_tcp() {
        assertThat(new AgentTransports("").select("web", "192.168.127.10", dir.resolve("x")).describe())
                .isEqualTo("192.168.127.10");
    }
}
