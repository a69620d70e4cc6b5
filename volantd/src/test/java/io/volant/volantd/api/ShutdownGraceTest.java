package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.vfio.InMemoryVfioManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * api-and-cli.md §4.5: whatever is still open when the server stops must not abort shutdown — the daemon closes the
 * engine and the store after the HTTP server, so {@code stop()} returns and the port is released. (Jetty 12 throws
 * a TimeoutException from stop() when a graceful component, e.g. its WebSocket session tracker, outlives the grace
 * period; ApiServer logs it and goes on.)
 */
class ShutdownGraceTest {

    @Test
    void a_request_still_in_flight_after_the_grace_period_does_not_stop_the_server_from_stopping() throws Exception {
        ApiServices services = new ApiServices(null, null, null, null, new InMemoryVfioManager(),
                new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), AgentGateway.none(), DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        ApiServer server = new ApiServer(ApiSettings.defaults(), services,
                Timeouts.defaults().withShutdownGrace(Duration.ofMillis(200))).start("127.0.0.1", 0);
        int port = server.port();
        try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = stalled.getOutputStream();
            // Half a body: the handler waits for the rest for the whole 60 s body timeout, far beyond the grace.
            out.write(("POST /api/v1/vfio/devices/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"pci_addresses\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThatCode(server::stop).doesNotThrowAnyException();

            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                    .isInstanceOf(ConnectException.class);
            stalled.setSoTimeout(30_000);
            assertThat(readToEnd(stalled)).as("the stalled connection is closed by the server").isTrue();
        }
    }

    private static boolean readToEnd(Socket s) {
        try {
            while (s.getInputStream().read() >= 0) {
                // drain whatever the server wrote before closing
            }
            return true;
        } catch (IOException closed) {
            return true;
        }
    }
}
