package io.volant.volantd.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** api-and-cli.md §3.7: a request body that stops arriving is cut by the body read timeout (shortened here). */
class RequestTimeoutTest {
    private ApiServer server;

    @BeforeEach
    void start() {
        server = BareServer.start(ApiSettings.defaults(), Timeouts.defaults().withRequestBody(Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Writes {@code head + body} and returns everything up to the end of the JSON answer. */
    private String exchange(int contentLength, String body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/vfio/devices/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; !got.toString(StandardCharsets.US_ASCII).endsWith("}") && (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void a_stalled_request_body_ends_with_400_invalid_request_body() throws Exception {
        String answer = exchange(100, "{\"pci_addresses\":");

        assertThat(answer).startsWith("HTTP/1.1 400 ").endsWith("{\"error\":\"invalid request body\",\"code\":\"invalid\"}");
    }

    @Test
    void a_body_that_arrives_whole_is_served() throws Exception {
        String body = "{\"pci_addresses\":[]}";

        assertThat(exchange(body.length(), body)).startsWith("HTTP/1.1 200 ").contains("\"valid\":true");
    }
}
