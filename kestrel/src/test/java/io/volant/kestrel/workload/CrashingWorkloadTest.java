package io.volant.kestrel.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.Log;
import io.volant.kestrel.logs.LinePump;
import io.volant.kestrel.logs.LogBuffer;
import io.volant.kestrel.logs.LogEvent;
import io.volant.kestrel.testing.ManualClock;
import io.volant.kestrel.testing.TestManifests;
import io.volant.kestrel.testing.TestWorkload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real processes (the test JDK running {@link TestWorkload}) and a manual clock. */
class CrashingWorkloadTest {
    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock();
    private final LogBuffer logs = new LogBuffer(1000, 100);
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    private final Log log = new Log(quiet, "kestrel: ");

    private Supervisor supervisor(List<String> args, Map<String, String> env) throws Exception {
        int port = TestManifests.freePort();
        List<String> entrypoint = new java.util.ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-cp",
                TestManifests.testClasses(), TestWorkload.class.getName(), String.valueOf(port)));
        entrypoint.addAll(args);
        WorkloadSpec spec = new WorkloadSpec(URI.create("http://127.0.0.1:" + port), entrypoint,
                env, tmp.toString(), "/health", Duration.ofSeconds(1));
        return new Supervisor(spec, Map.of("PATH", TestManifests.javaBin()),
                new ProcessWorkloadLauncher(new LinePump(logs, clock), quiet, quiet),
                new HealthWaiter(new HttpHealthProbe(HttpClient.newHttpClient()), clock, log),
                clock, log, WorkloadEnvironment::isExecutableFile);
    }

    @Test
    void crashing_process_is_restarted_after_1_2_4_seconds_and_its_output_is_captured() throws Exception {
        Supervisor s = supervisor(List.of("crash"), Map.of());
        try {
            s.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> s.status().restarts() >= 3);

            // Health ticks of 50 ms interleave with the backoff; the backoff sleeps alone are the policy.
            assertThat(clock.sleepsOtherThan(Duration.ofMillis(50)).subList(0, 3))
                    .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(s.status().lastExit()).isEqualTo(3);
            assertThat(logs.snapshot()).extracting(LogEvent::line).contains("workload crashing on purpose");
        } finally {
            s.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void stop_sends_sigterm_to_a_healthy_process_which_exits_through_its_shutdown_hook() throws Exception {
        Path marker = tmp.resolve("marker");
        Supervisor s = supervisor(List.of(), Map.of("MARKER", marker.toString()));
        s.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> s.status().state() == WorkloadState.RUNNING);
        long pid = s.status().pid();

        assertThat(s.stop(Duration.ofSeconds(10))).contains(143);

        assertThat(Files.readString(marker)).isEqualTo("TERM");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(s.status()).isEqualTo(new WorkloadStatus(WorkloadState.EXITED, null, 0, 143));
    }
}
