package io.volant.volantd.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 acceptance on the simulated backend: bounds of a rolling update counted from the event stream, the
 * progress deadline with and without auto-rollback, reverting keeps the replicas already at that revision, names
 * restored, healing during rollouts, pause/resume, history and undo, ReplicaFailure.
 */
class RolloutAcceptanceTest {
    private static final Strategy SURGE_1_UNAVAILABLE_2 = new Strategy(Strategy.Amount.of(1), Strategy.Amount.of(2), 0, 30, false);
    private static final Strategy AUTO_ROLLBACK = new Strategy(Strategy.Amount.of(1), Strategy.Amount.of(2), 0, 30, true);

    @TempDir
    Path dir;
    Engine e;
    DeploymentService deployments;
    int updateMark;

    @AfterEach
    void tearDown() {
        if (e != null) {
            e.close();
        }
    }

    private void open(boolean agentHealth) {
        e = agentHealth ? Engine.withAgentHealth(dir) : new Engine(dir);
        e.install("caddy", 1, 128);
        deployments = e.volantd.deployments();
    }

    private static VmConfig config(int cpu, String cmdline) {
        return VmConfig.of("caddy", cpu, 128).withKernelCmdline(cmdline);
    }

    /** Runs passes (probing agents first when probed) until {@code done}; the clock does not move. */
    private void converge(String name, BooleanSupplier done) {
        try {
            converge0(name, done);
        } catch (org.awaitility.core.ConditionTimeoutException ex) {
            members(name).forEach(v -> System.err.println("DEBUG " + v.name() + " " + v.status() + " " + v.cpuCores()));
            System.err.println("DEBUG " + deployments.get(name));
            throw ex;
        }
    }

    private void converge0(String name, BooleanSupplier done) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            e.volantd.health().ifPresent(HealthMonitor::probeAll);
            e.volantd.controller().reconcileNow(name);
            return done.getAsBoolean();
        });
    }

    private List<Vm> members(String name) {
        return e.volantd.vms().list(VmQuery.all()).items().stream().filter(v -> name.equals(v.deployment())).toList();
    }

    private List<String> names(String name) {
        return members(name).stream().map(Vm::name).sorted().toList();
    }

    private static List<String> expected(String name, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> name + "-" + i).sorted().toList();
    }

    private boolean complete(String name) {
        return deployments.get(name).rollout().status().equals("complete");
    }

    /** Replays events: {max members, min running} from the starting sets. */
    private static int[] bounds(List<VmEvent> events, Set<String> start) {
        Set<String> members = new HashSet<>(start);
        Set<String> running = new HashSet<>(start);
        int max = members.size();
        int min = running.size();
        for (VmEvent ev : events) {
            switch (ev.type()) {
                case VM_CREATED -> members.add(ev.name());
                case VM_RUNNING -> running.add(ev.name());
                case VM_STOPPED, VM_CRASHED -> running.remove(ev.name());
                case VM_DELETED -> {
                    running.remove(ev.name());
                    members.remove(ev.name());
                }
                default -> { }
            }
            max = Math.max(max, members.size());
            min = Math.min(min, running.size());
        }
        return new int[] {max, min};
    }

    private static long count(List<VmEvent> events, io.volant.volantd.events.EventType type) {
        return events.stream().filter(ev -> ev.type() == type).count();
    }

    @Test
    void ten_replicas_roll_within_surge_1_and_unavailable_2_and_end_named_1_to_10() {
        open(false);
        deployments.create("web", 10, config(1, ""), SURGE_1_UNAVAILABLE_2);
        converge("web", () -> complete("web"));
        int before = e.events().size();

        deployments.update("web", null, config(2, ""), null);
        converge("web", () -> complete("web"));

        List<VmEvent> during = e.events().subList(before, e.events().size());
        int[] b = bounds(during, new HashSet<>(expected("web", 10)));
        assertThat(b[0]).as("members never above 10 + 1").isLessThanOrEqualTo(11);
        assertThat(b[1]).as("running never below 10 - 2").isGreaterThanOrEqualTo(8);
        Deployment d = deployments.get("web");
        assertThat(d.revision()).isEqualTo(2);
        assertThat(d.updatedReplicas()).isEqualTo(10);
        assertThat(names("web")).containsExactlyElementsOf(expected("web", 10));
        assertThat(members("web")).allSatisfy(m -> assertThat(m.cpuCores()).isEqualTo(2));
        assertThat(d.status()).isEqualTo("Available");
    }

    /** Brings {@code web} (10 replicas, probed health) to a stuck rollout of a never-healthy revision 2. */
    private Set<String> stuckOnUnhealthyRevision(Strategy st) {
        open(true);
        deployments.create("web", 10, config(1, ""), st);
        converge("web", () -> complete("web") && deployments.get("web").readyReplicas() == 10);
        updateMark = e.events().size();
        deployments.update("web", null, config(1, SimulatedLauncher.LABEL_UNHEALTHY), null);
        // Stuck: 3 new (never healthy) replicas, 8 good ones left; passes keep it there.
        converge("web", () -> members("web").size() == 11 && deployments.get("web").updatedReplicas() == 3);
        for (int i = 0; i < 3; i++) {
            converge("web", () -> true);
        }
        assertThat(deployments.get("web").readyReplicas()).isEqualTo(8);
        assertThat(deployments.get("web").rollout().status()).isEqualTo("progressing");
        return new HashSet<>(expected("web", 10));
    }

    /** Good (revision 1) replicas deleted while they were good, from the events. */
    private static int goodReplaced(List<VmEvent> events, Set<String> good) {
        Set<String> g = new HashSet<>(good);
        int n = 0;
        for (VmEvent ev : events) {
            if (ev.type() == io.volant.volantd.events.EventType.VM_DELETED && g.remove(ev.name())) {
                n++;
            }
        }
        return n;
    }

    @Test
    void a_never_healthy_revision_fails_at_the_deadline_and_auto_rollback_returns_to_the_last_complete_one() {
        Set<String> good = stuckOnUnhealthyRevision(AUTO_ROLLBACK);
        e.clock.advance(Duration.ofSeconds(31));
        e.volantd.health().orElseThrow().probeAll();
        e.volantd.controller().reconcileNow("web");
        Deployment rolled = deployments.get("web");
        assertThat(rolled.revision()).isEqualTo(1);
        assertThat(rolled.rollout().message()).contains("rolled back from revision 2")
                .contains("progress deadline 30s exceeded");
        converge("web", () -> complete("web") && deployments.get("web").readyReplicas() == 10);

        // Since the update: forward 2 good removed and 3 bad created; back exactly the 3 bad removed and 2 created.
        List<VmEvent> since = e.events().subList(updateMark, e.events().size());
        assertThat(goodReplaced(since, good)).as("good replicas replaced").isEqualTo(2).isLessThanOrEqualTo(1 + 2);
        assertThat(count(since, io.volant.volantd.events.EventType.VM_DELETED)).isEqualTo(2 + 3);
        assertThat(count(since, io.volant.volantd.events.EventType.VM_CREATED)).isEqualTo(3 + 2);
        assertThat(names("web")).containsExactlyElementsOf(expected("web", 10));
        assertThat(deployments.rollouts().history("web")).extracting(RevisionInfo::revision).containsExactly(1, 2);
    }

    @Test
    void without_auto_rollback_the_rollout_fails_with_the_reason_and_posting_the_old_config_replaces_only_the_differing() {
        Set<String> good = stuckOnUnhealthyRevision(SURGE_1_UNAVAILABLE_2);
        e.clock.advance(Duration.ofSeconds(31));
        e.volantd.controller().reconcileNow("web");
        Deployment failed = deployments.get("web");
        assertThat(failed.rollout().status()).isEqualTo("failed");
        assertThat(failed.rollout().message()).startsWith("revision 2: progress deadline 30s exceeded with 0 of 10");
        assertThat(failed.status()).isEqualTo("Failed");
        assertThat(failed.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("Progressing");
            assertThat(c.status()).isEqualTo("False");
            assertThat(c.reason()).isEqualTo("ProgressDeadlineExceeded");
        });
        // Failed: the good replicas stay, nothing more is replaced.
        e.volantd.controller().reconcileNow("web");
        assertThat(members("web")).hasSize(11);
        assertThat(goodReplaced(e.events(), good)).isEqualTo(2);

        Deployment back = deployments.update("web", null, config(1, ""), null);
        assertThat(back.revision()).as("an equal config goes back to its revision").isEqualTo(1);
        converge("web", () -> complete("web") && deployments.get("web").readyReplicas() == 10);
        List<VmEvent> since = e.events().subList(updateMark, e.events().size());
        assertThat(goodReplaced(since, good)).isEqualTo(2);
        assertThat(count(since, io.volant.volantd.events.EventType.VM_DELETED)).as("2 good + the 3 bad").isEqualTo(2 + 3);
        assertThat(count(since, io.volant.volantd.events.EventType.VM_CREATED)).as("3 bad + 2 good").isEqualTo(3 + 2);
        assertThat(names("web")).containsExactlyElementsOf(expected("web", 10));
    }

    @Test
    void rollout_undo_goes_back_to_the_previous_revision_or_a_named_one() {
        open(false);
        deployments.create("web", 3, config(1, ""));
        deployments.update("web", null, config(2, ""), null);
        converge("web", () -> complete("web"));
        deployments.update("web", null, config(3, ""), null);
        converge("web", () -> complete("web"));
        assertThat(deployments.rollouts().undo("web", null).revision()).isEqualTo(2);
        converge("web", () -> complete("web"));
        assertThat(members("web")).allSatisfy(m -> assertThat(m.cpuCores()).isEqualTo(2));
        assertThat(deployments.rollouts().undo("web", 1).revision()).isEqualTo(1);
        converge("web", () -> complete("web"));
        assertThat(names("web")).containsExactly("web-1", "web-2", "web-3");
        assertThat(deployments.rollouts().history("web")).extracting(RevisionInfo::revision, RevisionInfo::current)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, true), org.assertj.core.groups.Tuple.tuple(2, false),
                        org.assertj.core.groups.Tuple.tuple(3, false));
        assertThat(deployments.rollouts().history("web").getFirst().cause()).isEqualTo("undo from revision 2");
        assertThatThrownBy(() -> deployments.rollouts().undo("web", 9)).isInstanceOf(NotFoundException.class)
                .hasMessage("revision 9 of deployment web not found");
        assertThatThrownBy(() -> deployments.rollouts().undo("web", 1)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void only_the_last_ten_revisions_are_kept_and_numbers_are_not_reused() {
        open(false);
        deployments.create("web", 0, config(1, ""));
        for (int i = 2; i <= 12; i++) {
            deployments.update("web", null, VmConfig.of("caddy", 1, 128 + i), null);
        }
        assertThat(deployments.get("web").revision()).isEqualTo(12);
        assertThat(deployments.rollouts().history("web")).extracting(RevisionInfo::revision)
                .containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(deployments.update("web", null, config(1, ""), null).revision()).as("revision 1 was pruned").isEqualTo(13);
    }

    @Test
    void a_member_that_exits_during_a_rollout_is_restarted_within_one_backoff_period_also_while_paused() {
        open(true);
        deployments.create("web", 3, config(1, ""));
        converge("web", () -> complete("web") && deployments.get("web").readyReplicas() == 3);
        deployments.update("web", null, config(1, SimulatedLauncher.LABEL_UNHEALTHY), null);
        converge("web", () -> members("web").size() == 4);
        deployments.rollouts().pause("web");
        assertThat(deployments.get("web").status()).isEqualTo("Paused");

        e.launcher.exit("web-4", 1); // the new-revision replica
        e.launcher.exit("web-1", 1); // a current keeper of the old revision is outdated now: replaced or restarted
        converge("web", () -> members("web").stream().filter(m -> m.name().equals("web-4")).allMatch(m -> m.status().wire().equals("crashed")));
        e.clock.advance(SelfHealing.RESTART.delay(1));
        converge("web", () -> e.launcher.isLive("web-4") && e.launcher.isLive("web-1"));
        assertThat(members("web")).hasSize(4);

        deployments.rollouts().resume("web");
        assertThat(deployments.get("web").rollout().paused()).isFalse();
    }

    @Test
    void a_config_that_fails_to_launch_shows_replica_failure_with_the_error_and_time() {
        open(false);
        deployments.create("web", 2, config(1, ""));
        deployments.update("web", null, config(1, SimulatedLauncher.LABEL_LAUNCH_FAIL), null);
        Deployment d = deployments.get("web");
        assertThat(d.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("ReplicaFailure");
            assertThat(c.message()).isEqualTo("create web-3: simulated: launch failed");
            assertThat(c.time()).isEqualTo(e.clock.instant());
        });
        assertThat(names("web")).containsExactly("web-1", "web-2");
        assertThat(d.readyReplicas()).isEqualTo(2);
    }

    @Test
    void a_disabled_plugin_is_a_replica_failure_condition_not_a_backoff() {
        open(false);
        deployments.create("web", 1, config(1, ""));
        e.volantd.plugins().setEnabled("caddy", false);
        long errors = e.volantd.controller().errors();
        deployments.scale("web", 2);
        assertThat(e.volantd.controller().errors()).isEqualTo(errors);
        assertThat(deployments.get("web").conditions()).anySatisfy(c -> assertThat(c.message())
                .isEqualTo("create web-2: plugin caddy disabled"));
    }
}
