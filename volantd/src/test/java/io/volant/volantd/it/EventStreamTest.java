package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AC-A12: the SSE stream of VM events. */
class EventStreamTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    @Test
    void a_vm_create_shows_one_created_then_running_event() throws Exception {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        HttpResponse<InputStream> stream = api.client().send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events/vms")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(stream.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // stream closed at the end of the test
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));
        assertThat(api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: VM_RUNNING"));
        List<String> events = lines.stream().filter(l -> l.startsWith("event: ")).toList();
        assertThat(events).containsExactly("event: VM_CREATED", "event: VM_RUNNING");
        String created = lines.get(lines.indexOf("event: VM_CREATED") + 1);
        assertThat(created).startsWith("data: {").contains("\"status\":\"starting\"").contains("\"name\":\"web\"")
                .contains("\"timestamp\":");
        volantd.stop();
        reader.join(Duration.ofSeconds(20));
        assertThat(reader.isAlive()).as("stream ends at shutdown").isFalse();
    }
}
