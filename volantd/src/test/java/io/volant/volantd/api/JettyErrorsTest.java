package io.volant.volantd.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty refuses before Javalin sees them (issue 16 defects 4 and 9): every answer is the JSON error shape,
 * and a request head that dribbles in byte by byte is cut by the header read limit (shortened here to 1 s).
 */
class JettyErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ApiServer server;

    @BeforeEach
    void start() {
        server = BareServer.start(ApiSettings.defaults(), Timeouts.defaults().withRequestHeaders(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Sends raw bytes and reads the answer until the server closes or the JSON body is complete. */
    private String raw(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; !got.toString(StandardCharsets.ISO_8859_1).endsWith("}") && (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] get(String target, String extraHeader) {
        String head = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeader + "Connection: close\r\n\r\n";
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void jsonError(String answer, int status) throws IOException {
        assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status + " ");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).as(answer).contains("content-type: application/json");
        JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("error").asText()).as(answer).isNotBlank();
        assertThat(body.path("code").asText()).as(answer).isEqualTo("invalid");
    }

    @Test
    void a_nul_or_bad_utf8_in_the_path_is_a_json_400() throws Exception {
        jsonError(raw(get("/api/v1/vms/%00", "")), 400);
        jsonError(raw(get("/api/v1/vms/%ff%fe", "")), 400);
        jsonError(raw(get("/../healthz", "")), 400);
    }

    @Test
    void control_characters_in_a_header_are_a_json_400() throws Exception {
        jsonError(raw(get("/healthz", "X-Evil: a\u0001b\r\n")), 400);
    }

    @Test
    void a_uri_over_the_limit_is_a_json_414_and_huge_headers_a_json_431() throws Exception {
        jsonError(raw(get("/api/v1/vms/" + "a".repeat(9000), "")), 414);
        jsonError(raw(get("/healthz", "X-Big: " + "b".repeat(20_000) + "\r\n")), 431);
    }

    @Test
    void a_request_head_that_dribbles_in_is_cut_by_the_header_read_limit() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(200);
            // One header byte every 200 ms keeps Jetty's idle timeout (120 s) from ever firing; only the head limit can.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    out.write('x');
                    out.flush();
                    if (s.getInputStream().read() < 0) {
                        closed.set(true);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    return false; // still open
                } catch (SocketException e) {
                    closed.set(true);
                }
                return closed.get();
            });
        }
        assertThat(closed).isTrue();
    }

    @Test
    void a_slow_but_complete_head_and_an_idle_keep_alive_connection_are_left_alone() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200 ");
            // Idle on a keep-alive connection past the head limit: not a pending head, so the connection survives.
            await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            out.write(request);
            out.flush();
            assertThat(readAnswer(in)).startsWith("HTTP/1.1 200 ");
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.US_ASCII).endsWith("}")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
