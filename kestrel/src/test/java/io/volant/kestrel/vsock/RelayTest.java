package io.volant.kestrel.vsock;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.Log;
import io.volant.kestrel.http.AgentServer;
import io.volant.kestrel.logs.LogBuffer;
import io.volant.kestrel.testing.ManualClock;
import io.volant.kestrel.workload.WorkloadStatus;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay carries whole HTTP exchanges from another socket family to the agent's TCP listener. */
class RelayTest {
    @TempDir
    Path tmp;
    private final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "k: ");

    private static String exchange(Path socket, String request) throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(c).write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = Channels.newInputStream(c);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @SuppressWarnings("try") // the relay only needs to live for the duration of the block
    void http_requests_over_the_relayed_socket_reach_the_agent_api() throws Exception {
        try (AgentServer api = AgentServer.start("127.0.0.1", 0, new AgentServer.Wiring(
                        () -> WorkloadStatus.PENDING, Optional::empty, Duration.ZERO, new LogBuffer(10, 10), "", 0),
                HttpClient.newHttpClient(), new ManualClock(), log);
             Relay relay = new Relay(UnixListener.open(tmp.resolve("agent.sock")),
                     new InetSocketAddress("127.0.0.1", api.port()), log).start()) {

            String first = exchange(tmp.resolve("agent.sock"),
                    "GET /healthz HTTP/1.1\r\nHost: vsock\r\nConnection: close\r\n\r\n");
            String second = exchange(tmp.resolve("agent.sock"),
                    "GET /nope HTTP/1.1\r\nHost: vsock\r\nConnection: close\r\n\r\n");

            assertThat(first).startsWith("HTTP/1.1 200 ")
                    .contains("{\"status\":\"ok\",\"uptime\":\"0s\",\"version\":\"v2.0\",\"workload\":"
                            + "{\"state\":\"pending\",\"pid\":null,\"restarts\":0,\"last_exit\":null}}");
            assertThat(second).startsWith("HTTP/1.1 404 ").endsWith("404 page not found\n");
        }
    }
}
