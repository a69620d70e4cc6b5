package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.Volantd;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Subscription;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.VmConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The logs WebSocket over a real engine (simulated backend) and a scripted agent: two sessions share one agent
 * subscription, every line reaches both, and each line is published exactly once as {@code VM_LOG}.
 */
class LogsWebSocketTest {
    private Volantd volantd;
    private Path dir;
    private ApiServer server;
    private final AtomicInteger agentStreams = new AtomicInteger();
    private final PipedOutputStream agentOut = new PipedOutputStream();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (volantd != null) {
            volantd.close();
        }
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temp dir
            }
        }
    }

    /** An agent whose {@code /v1/logs/stream} is whatever the test writes to {@link #agentOut}. */
    private AgentGateway scriptedAgent() throws IOException {
        PipedInputStream in = new PipedInputStream(agentOut, 1 << 16);
        return (vm, ip, request, timeout) -> {
            agentStreams.incrementAndGet();
            return new AgentGateway.Response(200, Map.of("Content-Type", List.of("text/event-stream")), in);
        };
    }

    private static final class Frames implements WebSocket.Listener {
        final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            texts.add(data.toString());
            ws.request(1);
            return null;
        }
    }

    @Test
    void two_sessions_share_one_agent_stream_and_each_line_is_one_vm_log_event() throws Exception {
        dir = Files.createTempDirectory("volantd-logs-");
        VolantdConfig config = VolantdConfig.forDirectory(dir);
        volantd = Volantd.builder(config).build();
        volantd.start();
        volantd.plugins().install(io.volant.manifest.Manifests.parse(
                LogsWebSocketTest.class.getResourceAsStream("/it/example-caddy.manifest.json").readAllBytes()));
        volantd.vms().create(new CreateVmRequest("web", "caddy", "", 0, 0, "", "", "", (VmConfig) null));
        ApiServices services = new ApiServices(volantd.vms(), volantd.deployments(), volantd.plugins(),
                volantd.events(), null, new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), scriptedAgent(), io.volant.volantd.drift.DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server = new ApiServer(ApiSettings.defaults(), services).start("127.0.0.1", 0);
        Subscription events = volantd.events().subscribe(Topics.VM_EVENTS, 256);

        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws/v1/vms/web/logs");
        Frames first = new Frames();
        Frames second = new Frames();
        WebSocket a = client.newWebSocketBuilder().buildAsync(uri, first).join();
        WebSocket b = client.newWebSocketBuilder().buildAsync(uri, second).join();
        OutputStream out = agentOut;
        out.write(("data: {\"stream\":\"stdout\",\"line\":\"hello\",\"timestamp\":\"2025-10-05T17:46:06Z\"}\n\n"
                + "data: not json\n\n"
                + "data: {\"stream\":\"stderr\",\"line\":\"oops\",\"timestamp\":\"2025-10-05T17:46:07Z\"}\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> first.texts.size() == 2 && second.texts.size() == 2);
        assertThat(first.texts.get(0)).isEqualTo(
                "{\"name\":\"web\",\"stream\":\"stdout\",\"line\":\"hello\",\"timestamp\":\"2025-10-05T17:46:06Z\"}");
        assertThat(second.texts).isEqualTo(first.texts);
        assertThat(agentStreams.get()).isEqualTo(1);

        List<VmEvent> logs = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            VmEvent e;
            while ((e = events.poll(Duration.ofMillis(10))) != null) {
                if (e.type() == EventType.VM_LOG) {
                    logs.add(e);
                }
            }
            return logs.size() >= 2;
        });
        assertThat(logs).extracting(VmEvent::line).containsExactly("hello", "oops");
        assertThat(logs.get(1).stream()).isEqualTo("stderr");
        a.abort();
        b.abort();
    }
}
