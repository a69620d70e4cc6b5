package io.volant.volar.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ApiClient#close()} stops the client's selector thread before it returns: a thread left in native code makes
 * the JVM's exit wait 300 ms, which was most of a short command's wall time.
 */
class ApiClientCloseTest {

    @Test
    void close_stops_the_selector_thread_after_a_failed_request() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        ApiClient c = new ApiClient("http://127.0.0.1:" + port, "", Duration.ofSeconds(5), new Json(), Map.of());
        assertThatThrownBy(() -> c.get("/api/v1/system/info")).isInstanceOf(TransportException.class);
        assertThat(c.closed()).isFalse();

        c.close();

        assertThat(c.closed()).isTrue();
    }

    @Test
    void close_is_idempotent() {
        ApiClient c = new ApiClient("http://127.0.0.1:1", "", Duration.ofSeconds(5), new Json(), Map.of());
        c.close();
        c.close();
        assertThat(c.closed()).isTrue();
    }
}
