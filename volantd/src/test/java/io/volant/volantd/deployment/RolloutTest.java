package io.volant.volantd.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXTENSION A rolling configuration update (control-plane.md §3.9, AC-C16). */
class RolloutTest {
    @TempDir
    Path dir;
    Engine e;
    DeploymentService deployments;

    @BeforeEach
    void setUp() {
        e = Engine.withAgentHealth(dir);
        e.install("caddy", 1, 128);
        deployments = e.volantd.deployments();
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    private void probe() {
        e.volantd.health().orElseThrow().probeAll();
    }

    /** Replays the events: the largest member count and the smallest running count after the rollout began. */
    private int[] bounds(List<VmEvent> events, Set<String> start) {
        Set<String> members = new HashSet<>(start);
        Set<String> running = new HashSet<>(start);
        int max = members.size();
        int min = running.size();
        for (VmEvent ev : events) {
            switch (ev.type()) {
                case VM_CREATED -> members.add(ev.name());
                case VM_RUNNING -> running.add(ev.name());
                case VM_DELETED, VM_STOPPED, VM_CRASHED -> {
                    running.remove(ev.name());
                    if (ev.type() == EventType.VM_DELETED) {
                        members.remove(ev.name());
                    }
                }
                default -> { }
            }
            max = Math.max(max, members.size());
            min = Math.min(min, running.size());
        }
        return new int[] {max, min};
    }

    @Test
    void a_new_config_rolls_out_within_surge_and_availability() {
        deployments.create("web", 3, VmConfig.of("caddy", 1, 128));
        probe();
        assertThat(deployments.get("web").readyReplicas()).isEqualTo(3);
        int before = e.events().size();

        Deployment d = deployments.update("web", null, VmConfig.of("caddy", 2, 256), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            probe();
            e.volantd.controller().enqueue("web");
            return deployments.get("web").rollout().status().equals("complete");
        });
        Deployment done = deployments.get("web");
        assertThat(done.revision()).isEqualTo(2);
        assertThat(done.updatedReplicas()).isEqualTo(3);
        List<Vm> vms = e.volantd.vms().list(VmQuery.all()).items();
        assertThat(vms).hasSize(3).allSatisfy(v -> assertThat(v.cpuCores()).isEqualTo(2));
        List<VmEvent> during = e.events().subList(before, e.events().size());
        int[] b = bounds(during, Set.of("web-1", "web-2", "web-3"));
        assertThat(b[0]).as("members never above desired + surge").isLessThanOrEqualTo(4);
        assertThat(b[1]).as("running never below desired - unavailable").isGreaterThanOrEqualTo(3);
        assertThat(d.revision()).isEqualTo(2);
    }

    @Test
    void the_same_config_changes_nothing_and_bad_strategies_are_refused() {
        deployments.create("web", 1, VmConfig.of("caddy", 1, 128));
        assertThat(deployments.update("web", null, VmConfig.of("caddy", 1, 128), null).revision()).isEqualTo(1);
        assertThatThrownBy(() -> deployments.update("web", null, null, new Strategy(0, 0)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("strategy: max_surge and max_unavailable cannot both be 0");
        assertThatThrownBy(() -> deployments.update("web", null, null, null)).hasMessage("replicas is required");
        assertThat(deployments.update("web", 2, null, null).desiredReplicas()).isEqualTo(2);
    }

    /** web (3 replicas, revision 1) updated to revision 2, whose replicas never become healthy, past the deadline. */
    private void failAnUpdateOfThreeReplicas() {
        deployments.create("web", 3, VmConfig.of("caddy", 1, 128));
        probe();
        e.launcher.setNewInstancesHealthy(false);
        deployments.update("web", null, VmConfig.of("caddy", 2, 256), null);
        probe();
        assertThat(deployments.get("web").rollout().status()).isEqualTo("progressing");
        e.clock.advance(Duration.ofSeconds(Strategy.DEFAULT.progressDeadlineSeconds()));
        e.volantd.controller().reconcileNow("web");
    }

    @Test
    void a_never_healthy_revision_fails_after_the_deadline_and_keeps_the_old_replicas() {
        failAnUpdateOfThreeReplicas();
        Deployment d = deployments.get("web");
        assertThat(d.rollout().status()).isEqualTo("failed");
        assertThat(d.readyReplicas()).isEqualTo(3);
        assertThat(e.volantd.vms().list(VmQuery.all()).items()).extracting(Vm::name)
                .contains("web-1", "web-2", "web-3").hasSize(4);
    }

    @Test
    void posting_the_failed_revisions_config_again_retries_the_rollout() {
        failAnUpdateOfThreeReplicas();
        assertThat(deployments.get("web").rollout().status()).isEqualTo("failed");
        // the cause goes away (say the new replicas' backend came back): a failed rollout still takes no steps
        e.launcher.setNewInstancesHealthy(true);
        e.launcher.setHealth("web-4", true, 200);
        probe();
        e.volantd.controller().reconcileNow("web");
        assertThat(deployments.get("web").rollout().status()).isEqualTo("failed");

        Deployment retried = deployments.update("web", null, VmConfig.of("caddy", 2, 256), null);
        assertThat(retried.revision()).isEqualTo(2);
        assertThat(retried.rollout().status()).isEqualTo("progressing");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            probe();
            e.volantd.controller().enqueue("web");
            return deployments.get("web").rollout().status().equals("complete");
        });
        assertThat(e.volantd.vms().list(VmQuery.all()).items()).extracting(Vm::name)
                .containsExactlyInAnyOrder("web-1", "web-2", "web-3");
        assertThat(e.volantd.vms().list(VmQuery.all()).items()).allSatisfy(v -> assertThat(v.cpuCores()).isEqualTo(2));
        assertThat(deployments.get("web").revision()).isEqualTo(2);
    }
}
