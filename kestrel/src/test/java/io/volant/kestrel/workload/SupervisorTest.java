package io.volant.kestrel.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.Log;
import io.volant.kestrel.testing.FakeWorkloadLauncher;
import io.volant.kestrel.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    private final ManualClock clock = new ManualClock();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8), "kestrel: ");
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stop(Duration.ofSeconds(1));
        }
    }

    private static WorkloadSpec spec(List<String> entrypoint, Map<String, String> env, String healthEndpoint) {
        return new WorkloadSpec(URI.create("http://127.0.0.1:1"), entrypoint, env, "/tmp", healthEndpoint,
                Duration.ZERO);
    }

    private Supervisor supervisor(WorkloadSpec spec, FakeWorkloadLauncher launcher, HealthProbe probe) {
        supervisor = new Supervisor(spec, Map.of("PATH", "/opt/agent/bin", "HOME", "/root"), launcher,
                new HealthWaiter(probe, clock, log), clock, log, p -> p.toString().equals("/usr/bin/app"));
        return supervisor;
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void crashing_workload_is_restarted_with_backoff_doubling_from_one_second_to_thirty() {
        clock.parkAfter(8);
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher().onLaunch(p -> p.exit(3));
        supervisor(spec(List.of("app"), Map.of(), ""), launcher, (u, t) -> null).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> clock.sleeps().size() == 9);

        assertThat(clock.sleeps()).containsExactly(s(1), s(2), s(4), s(8), s(16), s(30), s(30), s(30), s(30));
        WorkloadStatus st = supervisor.status();
        assertThat(st.restarts()).isEqualTo(8);
        assertThat(st.lastExit()).isEqualTo(3);
        assertThat(st.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(st.pid()).isNull();
    }

    @Test
    void backoff_resets_after_sixty_seconds_of_healthy_running() {
        clock.parkAfter(4);
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher().onLaunch(p -> {
            // Launches 1-3 crash at once; launch 4 runs healthy for 61 s before crashing.
            if (p.pid() == 1004) {
                Thread.ofVirtual().start(() -> {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> supervisor.status().state() == WorkloadState.RUNNING);
                    clock.advance(s(61));
                    p.exit(1);
                });
            } else {
                p.exit(1);
            }
        });
        supervisor(spec(List.of("app"), Map.of(), ""), launcher, (u, t) -> null).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> clock.sleeps().size() == 5);

        assertThat(clock.sleeps()).containsExactly(s(1), s(2), s(4), s(1), s(2));
    }

    @Test
    void a_healthy_workload_is_running_with_its_pid_and_reports_no_exit() {
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher();
        supervisor(spec(List.of("app", "--flag"), Map.of("MODE", "x"), "/health"), launcher, (u, t) -> null).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.status().state() == WorkloadState.RUNNING);

        WorkloadStatus st = supervisor.status();
        assertThat(st.pid()).isEqualTo(launcher.last().pid());
        assertThat(st.restarts()).isZero();
        assertThat(st.lastExit()).isNull();
    }

    @Test
    void bare_entrypoint_is_resolved_in_the_workloads_path_and_manifest_env_wins() {
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher();
        supervisor(spec(List.of("app", "serve"), Map.of("HOME", "/srv"), ""), launcher, (u, t) -> null).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> !launcher.launched().isEmpty());

        FakeWorkloadLauncher.FakeProcess p = launcher.last();
        assertThat(p.argv).containsExactly("/usr/bin/app", "serve");
        assertThat(p.env).containsEntry("HOME", "/srv")
                .containsEntry("PATH", "/opt/agent/bin:/usr/local/bin:/usr/bin:/bin");
        assertThat(p.workdir.toString()).isEqualTo("/tmp");
    }

    @Test
    void health_deadline_kills_the_workload_and_restarts_it() {
        clock.parkAfter(Integer.MAX_VALUE);
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher();
        supervisor(spec(List.of("app"), Map.of(), "/health"), launcher, (u, t) -> "status 503").start();

        await().atMost(Duration.ofSeconds(30)).until(() -> launcher.launched().size() >= 2);

        FakeWorkloadLauncher.FakeProcess first = launcher.launched().getFirst();
        assertThat(first.terms()).isEqualTo(1);
        assertThat(first.onExit().join()).isEqualTo(143);
        // 120 s floor: 2400 probe ticks of 50 ms before giving up, then the 1 s backoff.
        assertThat(clock.sleeps().stream().filter(d -> d.equals(Duration.ofMillis(50))).count())
                .isGreaterThanOrEqualTo(2400);
        assertThat(clock.sleepsOtherThan(Duration.ofMillis(50))).startsWith(s(1));
    }

    @Test
    void failed_launch_counts_as_failure_and_is_retried() {
        clock.parkAfter(Integer.MAX_VALUE);
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher().failLaunch(1);
        supervisor(spec(List.of("app"), Map.of(), ""), launcher, (u, t) -> null).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.status().state() == WorkloadState.RUNNING);

        assertThat(clock.sleeps()).containsExactly(s(1));
        assertThat(supervisor.status().restarts()).isEqualTo(1);
    }

    @Test
    void stop_sends_sigterm_then_sigkill_when_the_workload_ignores_it() {
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher().ignoreTerm();
        supervisor(spec(List.of("app"), Map.of(), ""), launcher, (u, t) -> null).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.status().state() == WorkloadState.RUNNING);

        assertThat(supervisor.stop(Duration.ofMillis(100))).contains(137);

        FakeWorkloadLauncher.FakeProcess p = launcher.last();
        assertThat(p.terms()).isEqualTo(1);
        assertThat(p.kills()).isEqualTo(1);
        assertThat(supervisor.status().state()).isEqualTo(WorkloadState.EXITED);
        assertThat(supervisor.status().lastExit()).isEqualTo(137);
    }

    @Test
    void stop_during_backoff_does_not_launch_again() {
        clock.parkAfter(0);
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher().onLaunch(p -> p.exit(1));
        supervisor(spec(List.of("app"), Map.of(), ""), launcher, (u, t) -> null).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> clock.sleeps().size() == 1);

        supervisor.stop(Duration.ofSeconds(1));

        assertThat(launcher.launched()).hasSize(1);
        assertThat(supervisor.status().state()).isEqualTo(WorkloadState.EXITED);
    }

    @Test
    void missing_program_is_a_failure_not_a_crash_of_the_agent() {
        clock.parkAfter(1);
        FakeWorkloadLauncher launcher = new FakeWorkloadLauncher();
        supervisor(spec(List.of("nope"), Map.of(), ""), launcher, (u, t) -> null).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> clock.sleeps().size() == 2);

        assertThat(launcher.launched()).isEmpty();
        assertThat(supervisor.status().state()).isEqualTo(WorkloadState.FAILED);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("executable file not found in $PATH");
    }

    @Test
    void first_outcome_is_pending_while_the_health_check_runs_then_running() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        supervisor(spec(List.of("app"), Map.of(), "/health"), new FakeWorkloadLauncher(), (u, t) -> {
            probing.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).start();

        assertThat(probing.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(supervisor.firstSettled()).isNotDone();
        answer.countDown();

        assertThat(supervisor.firstSettled().get(20, TimeUnit.SECONDS)).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void first_outcome_is_failed_when_the_program_is_missing() throws Exception {
        clock.parkAfter(1);
        supervisor(spec(List.of("nope"), Map.of(), ""), new FakeWorkloadLauncher(), (u, t) -> null).start();

        assertThat(supervisor.firstSettled().get(20, TimeUnit.SECONDS))
                .isEqualTo(WorkloadState.FAILED);
    }

    @Test
    void first_outcome_completes_when_stopped_before_start() {
        supervisor(spec(List.of("app"), Map.of(), ""), new FakeWorkloadLauncher(), (u, t) -> null);

        supervisor.stop(Duration.ofSeconds(1));

        assertThat(supervisor.firstSettled()).isCompletedWithValue(WorkloadState.EXITED);
    }
}
