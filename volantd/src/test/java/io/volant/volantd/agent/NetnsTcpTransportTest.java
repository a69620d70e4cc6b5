package io.volant.volantd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.volant.volantd.testing.NetnsFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent requests into {@code VOLANT_NETNS} open their socket inside the namespace from one thread that entered it
 * ({@link NetnsSockets}); the process starts of the JVM are counted by JFR's {@code jdk.ProcessStart} event.
 */
class NetnsTcpTransportTest {
    @TempDir
    Path tmp;

    @Test
    void a_hundred_agent_requests_into_a_namespace_start_no_process() throws Exception {
        AtomicInteger served = new AtomicInteger();
        try (NetnsFixture ns = new NetnsFixture(null, null);
                NetnsSockets inside = NetnsSockets.enter(ns.name);
                AgentTransports transports = new AgentTransports(ns.name)) {
            // The stand-in agent listens on the namespace's own loopback: unreachable from volantd's namespace.
            HttpServer agent = inside.run(() -> HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            agent.createContext("/healthz", ex -> {
                byte[] b = ("{\"status\":\"ok\",\"n\":" + served.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            agent.start();
            try {
                AgentGateway gateway = new TransportAgentGateway((vm, ip) -> transports.select(vm, ip, null),
                        agent.getAddress().getPort());
                List<RecordedEvent> starts = processStarts(() -> {
                    for (int i = 1; i <= 100; i++) {
                        try (AgentGateway.Response r = gateway.send("web", "127.0.0.1",
                                new AgentGateway.Request("GET", "/healthz", Map.of(), new byte[0]),
                                Duration.ofSeconds(30))) {
                            assertThat(r.status()).isEqualTo(200);
                            assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
                                    .isEqualTo("{\"status\":\"ok\",\"n\":" + i + "}");
                        }
                    }
                });
                assertThat(served.get()).isEqualTo(100);
                assertThat(starts).isEmpty();
            } finally {
                agent.stop(0);
            }
        }
    }

    @Test
    void the_namespace_thread_is_in_the_namespace_and_the_caller_is_not() throws Exception {
        try (NetnsFixture ns = new NetnsFixture(null, null); NetnsSockets inside = NetnsSockets.enter(ns.name)) {
            Object target = Files.readAttributes(Path.of("/run/netns", ns.name), "unix:ino").get("ino");
            Object entered = inside.run(() -> Files.readAttributes(Path.of("/proc/thread-self/ns/net"), "unix:ino")
                    .get("ino"));
            Object own = Files.readAttributes(Path.of("/proc/thread-self/ns/net"), "unix:ino").get("ino");
            assertThat(entered).isEqualTo(target);
            assertThat(own).isNotEqualTo(target);
        }
    }

    @Test
    void a_missing_namespace_is_an_error_naming_it() {
        String name = "volant-absent-" + ProcessHandle.current().pid();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NetnsSockets.enter(name))
                .isInstanceOf(IOException.class).hasMessageContaining("/run/netns/" + name).hasMessageContaining("errno");
    }

    @Test
    void the_process_count_sees_a_process_start() throws Exception {
        List<RecordedEvent> starts = processStarts(() -> new ProcessBuilder("true").start().waitFor());
        assertThat(starts).hasSize(1);
    }

    interface Body {
        void run() throws Exception;
    }

    /** Every process the JVM started while {@code body} ran. */
    private List<RecordedEvent> processStarts(Body body) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            body.run();
            recording.stop();
            Path file = tmp.resolve("process-starts.jfr");
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.ProcessStart")).toList();
        }
    }
}
