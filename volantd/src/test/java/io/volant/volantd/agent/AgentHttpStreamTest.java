package io.volant.volantd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link AgentHttp#open}: the streaming client behind the API's agent gateway (proxy, actions, logs stream). */
class AgentHttpStreamTest {

    @Test
    @Timeout(60)
    void a_chunked_body_is_readable_before_the_agent_finishes_and_own_headers_are_not_forwarded() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        AtomicReference<String> request = new AtomicReference<>();
        try (ServerSocket agent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket s = agent.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    StringBuilder head = new StringBuilder();
                    for (String l; (l = in.readLine()) != null && !l.isEmpty(); ) {
                        head.append(l).append('\n');
                    }
                    request.set(head.toString());
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n9\r\nline one\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    firstRead.await();
                    out.write("9\r\nline two\n\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    // the test fails on its own assertions
                }
            });
            int port = agent.getLocalPort();
            try (AgentHttp http = new AgentHttp(); AgentHttp.Streamed r = http.open(new TcpTransport("127.0.0.1", 2_000),
                    port, "GET", "/v1/logs/stream",
                    Map.of("X-Custom", List.of("yes"), "Host", List.of("evil")), new byte[0], Duration.ofSeconds(10))) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.headers().get("Set-Cookie")).containsExactly("a=1", "b=2");
                InputStream body = r.body();
                byte[] first = body.readNBytes("line one\n".length());
                assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("line one\n");
                firstRead.countDown();
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("line two\n");
            }
            server.join(Duration.ofSeconds(10));
            assertThat(request.get()).startsWith("GET /v1/logs/stream HTTP/1.1\n")
                    .contains("X-Custom: yes\n", "Host: 127.0.0.1:" + port + "\n")
                    .doesNotContain("evil");
        }
    }

    @Test
    @Timeout(60)
    void an_agent_that_never_answers_fails_after_the_header_timeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes(); // read the request, answer nothing
                } catch (IOException e) {
                    // closed by the client
                }
            });
            AgentHttp http = new AgentHttp();
            assertThatThrownBy(() -> http.open(new TcpTransport("127.0.0.1", 2_000), silent.getLocalPort(), "GET",
                    "/healthz", Map.of(), new byte[0], Duration.ofMillis(300)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer within 300 ms");
            http.close();
            acceptor.join(Duration.ofSeconds(10));
        }
    }
}
