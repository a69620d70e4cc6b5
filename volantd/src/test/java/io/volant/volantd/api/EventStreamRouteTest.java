package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.InMemoryEventBus;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SSE route over the core's real in-memory bus: framing, order, and a slow client that overflows. */
class EventStreamRouteTest {
    private final InMemoryEventBus bus = new InMemoryEventBus();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiServer server;

    @AfterEach
    void stop() {
        server.stop();
    }

    private String start() {
        return start(Timeouts.defaults());
    }

    private String start(Timeouts timeouts) {
        ApiServices services = new ApiServices(null, null, null, bus, null,
                new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), AgentGateway.none(), io.volant.volantd.drift.DriftClient.notConfigured(), SimulatedControls.absent(),
                registry);
        server = new ApiServer(ApiSettings.defaults(), services, timeouts).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + server.port() + "/api/v1/events/vms";
    }

    private static VmEvent event(int i) {
        return VmEvent.lifecycle(EventType.VM_RUNNING, "vm-" + i, "running", "192.168.127.2", "02:00:00:00:00:01",
                4194305L + i, Instant.parse("2025-10-05T17:46:06.123456789Z"), "vm running");
    }

    private HttpResponse<InputStream> open(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static List<String> readAll(HttpResponse<InputStream> r, List<String> into) {
        Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    into.add(line);
                }
                into.add("<eof>");
            } catch (Exception e) {
                into.add("<eof>");
            }
        });
        return into;
    }

    @Test
    void events_are_framed_in_publication_order_after_a_connected_comment() throws Exception {
        var response = open(start());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
        List<String> lines = readAll(response, new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));
        for (int i = 0; i < 3; i++) {
            bus.publish(Topics.VM_EVENTS, event(i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().filter(l -> l.startsWith("data: ")).count() == 3);
        List<String> data = lines.stream().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data.get(0)).isEqualTo("data: {\"type\":\"VM_RUNNING\",\"name\":\"vm-0\",\"status\":\"running\","
                + "\"ip_address\":\"192.168.127.2\",\"mac_address\":\"02:00:00:00:00:01\",\"pid\":4194305,"
                + "\"timestamp\":\"2025-10-05T17:46:06.123456789Z\",\"message\":\"vm running\"}");
        assertThat(data.get(2)).contains("\"name\":\"vm-2\"");
        assertThat(lines).contains("event: VM_RUNNING");
    }

    @Test
    void a_client_that_stops_reading_never_blocks_the_publisher_and_is_closed_and_counted() throws Exception {
        String url = start();
        var slow = open(url);
        var healthy = open(url);
        List<String> healthyLines = readAll(healthy, new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> healthyLines.contains(": connected"));
        int published = 20_000;
        for (int i = 0; i < published; i++) {
            bus.publish(Topics.VM_EVENTS, event(i)); // returns at once even while the slow client is stuck
        }
        List<String> slowLines = readAll(slow, new CopyOnWriteArrayList<>());
        await().atMost(Duration.ofSeconds(30)).until(() -> slowLines.contains("<eof>"));
        long delivered = slowLines.stream().filter(l -> l.startsWith("data: ")).count();
        assertThat(delivered).isLessThan(published);
        assertThat(registry.counter("volant.events.dropped").count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_client_stalled_past_the_write_timeout_is_recorded_as_losing_events() throws Exception {
        start(Timeouts.defaults().withRequestBody(Duration.ofSeconds(1)));
        try (java.net.Socket s = new java.net.Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            s.getOutputStream().write(("GET /api/v1/events/vms HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains(": connected")) {
                head.append((char) in.read());
            }
            // Fewer events than the subscriber queue holds (so no overflow), but far more bytes than the socket
            // buffers: the write blocks, then times out while the client reads nothing.
            String line = "x".repeat(64 * 1024);
            for (int i = 0; i < 200; i++) {
                bus.publish(Topics.VM_EVENTS, new VmEvent(EventType.VM_LOG, "vm-" + i, "running", null, null, null,
                        Instant.parse("2025-10-05T17:46:06Z"), null, "stdout", line));
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> registry.counter("volant.events.dropped").count() >= 1);
        }
    }
}
