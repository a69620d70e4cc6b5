package io.volant.volantd.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXTENSION C: readiness from agent health (control-plane.md §10 AC-C18), with the simulated agent stub. */
class ReadinessTest {
    @TempDir
    Path dir;
    Engine e;

    @BeforeEach
    void setUp() {
        e = Engine.withAgentHealth(dir);
        e.install("caddy", 1, 128);
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    private int ready() {
        return e.volantd.deployments().get("web").readyReplicas();
    }

    private void probeRound() {
        e.volantd.health().orElseThrow().probeAll();
    }

    @Test
    void ready_replicas_follow_the_agent_verdict() {
        e.volantd.deployments().create("web", 1, VmConfig.of("caddy", 0, 0));
        e.launcher.setHealth("web-1", false, 503);
        probeRound();
        assertThat(e.volantd.vms().get("web-1").status()).isEqualTo(VmStatus.RUNNING);
        assertThat(ready()).isZero();

        e.launcher.setHealth("web-1", true, 200);
        probeRound();
        assertThat(ready()).isEqualTo(1);

        e.launcher.setHealth("web-1", false, 503);
        probeRound();
        probeRound();
        assertThat(ready()).isEqualTo(1);
        probeRound();
        assertThat(ready()).isZero();
    }

    /**
     * The clock moves exactly one period, once: the monitor's own round must follow from that alone. The wait is
     * for the monitor thread to notice (real time, generous because CI machines are shared), never for more clock.
     */
    @Test
    void the_monitor_probes_on_its_own_every_period_of_the_clock() {
        e.volantd.deployments().create("web", 2, VmConfig.of("caddy", 0, 0));
        assertThat(ready()).isZero(); // no round before the first period: each launch starts unhealthy

        e.clock.advance(HealthMonitor.PERIOD);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> ready() == 2);
        e.launcher.setHealth("web-1", false, 503);
        e.launcher.setHealth("web-2", false, 503);
        for (int round = 1; round <= HealthMonitor.FAILURES_TO_UNHEALTHY; round++) {
            probeRound();
        }
        assertThat(ready()).isZero();
    }
}
