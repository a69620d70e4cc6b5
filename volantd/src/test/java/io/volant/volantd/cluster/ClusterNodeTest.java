package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.errors.UnavailableException;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmQuery;
import io.volant.volantd.vm.VmStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One cluster node on the in-memory store twin (docs/cluster.md): the deployment API on the store
 * ({@link ClusterDeployments}), the node's copy of the deployments ({@link DeploymentMirror}) and its assigned
 * indices with fencing ({@link NodeAssignments}) driving a real deployment controller on the simulated backend.
 */
class ClusterNodeTest {
    private static final Duration GRACE = NodeAssignments.graceFor(Duration.ofSeconds(10));

    @TempDir
    Path dir;
    private Engine e;
    private InMemoryClusterStore store;
    private ClusterDeployments api;
    private DeploymentMirror mirror;
    private NodeAssignments assignments;
    private final List<String> changed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        e = new Engine(dir);
        e.install("caddy", 2, 512);
        store = new InMemoryClusterStore(e.clock);
        assignments = new NodeAssignments(store, "a", e.clock, GRACE, changed::add);
        e.indices = assignments;
        ClusterVms vms = new ClusterVms(store, "a", () -> e.volantd.vms().list(VmQuery.all()).items());
        api = new ClusterDeployments(store, e.volantd.deployments(), vms::snapshot, e.clock);
        mirror = new DeploymentMirror(store, e.volantd.deployments());
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    private List<String> running() {
        return e.volantd.vms().list(VmQuery.all()).items().stream().filter(v -> v.status() == VmStatus.RUNNING)
                .map(Vm::name).sorted().toList();
    }

    private void assign(int index, String node) {
        store.put(Scheduler.key("web", index), node, 0);
    }

    /** What the node's threads do on a change: read the assignments, mirror the records, run a pass. */
    private void converge() {
        assignments.refresh();
        mirror.pass();
        e.volantd.controller().reconcileNow("web");
    }

    @Test
    void requests_are_validated_as_on_a_single_host() {
        assertThatThrownBy(() -> api.create("Web", 1, VmConfig.of("caddy", 1, 64), null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("deployment name");
        assertThatThrownBy(() -> api.create("web", -1, VmConfig.of("caddy", 1, 64), null))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("orchestrator: replicas must be >= 0");
        assertThatThrownBy(() -> api.create("web", 1, null, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("config is required");
        api.create("web", 1, VmConfig.of("caddy", 1, 64), null);
        assertThatThrownBy(() -> api.create("web", 1, VmConfig.of("caddy", 1, 64), null))
                .isInstanceOf(ConflictException.class).hasMessage("orchestrator: deployment already exists: web");
        assertThatThrownBy(() -> api.update("web", null, null, null))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("replicas is required");
        assertThatThrownBy(() -> api.get("nope"))
                .isInstanceOf(NotFoundException.class).hasMessage("orchestrator: deployment not found: nope");
        assertThatThrownBy(() -> api.delete("nope")).isInstanceOf(NotFoundException.class);
        assertThat(store.scan(ClusterDeployments.PREFIX)).containsOnlyKeys(ClusterDeployments.PREFIX + "web");
    }

    @Test
    void the_revision_moves_with_the_config_not_with_the_replicas() {
        assertThat(api.create("web", 3, VmConfig.of("caddy", 1, 64), null).revision()).isEqualTo(1);
        Deployment scaled = api.update("web", 5, null, null);
        assertThat(scaled.revision()).isEqualTo(1);
        assertThat(scaled.desiredReplicas()).isEqualTo(5);
        assertThat(api.update("web", null, VmConfig.of("caddy", 1, 128), null).revision()).isEqualTo(2);
        assertThat(api.update("web", null, VmConfig.of("caddy", 1, 128), null).revision()).as("same config").isEqualTo(2);
        assertThat(api.get("web").config().resources().memoryMb()).isEqualTo(128);
        assertThat(api.list()).extracting(Deployment::name).containsExactly("web");
        api.delete("web");
        assertThat(api.list()).isEmpty();
    }

    @Test
    void an_unreachable_store_answers_503_and_changes_nothing() {
        store.unreachable(true);
        assertThatThrownBy(() -> api.create("web", 1, VmConfig.of("caddy", 1, 64), null))
                .isInstanceOf(UnavailableException.class).hasMessageStartingWith("cluster store unreachable");
        assertThatThrownBy(() -> api.list()).isInstanceOf(UnavailableException.class);
        store.unreachable(false);
        assertThat(api.list()).isEmpty();
    }

    @Test
    void the_node_runs_exactly_its_assigned_indices_and_reports_them_with_its_name() {
        api.create("web", 4, VmConfig.of("caddy", 1, 64), null);
        assign(1, "a");
        assign(2, "b");
        assign(3, "a");
        converge();
        assertThat(running()).containsExactly("web-1", "web-3");
        assertThat(changed).contains("web");

        Deployment d = api.get("web");
        assertThat(d.readyReplicas()).isEqualTo(2);
        assertThat(d.members()).extracting(Deployment.Member::name).containsExactly("web-1", "web-3");
        assertThat(d.members()).extracting(Deployment.Member::node).containsOnly("a");

        assign(1, "b"); // moved away: the node destroys its copy
        assign(4, "a");
        converge();
        assertThat(running()).containsExactly("web-3", "web-4");

        api.delete("web");
        mirror.pass();
        assertThat(running()).isEmpty();
        assertThat(e.volantd.deployments().list()).isEmpty();
    }

    @Test
    void cut_off_past_the_grace_the_node_stops_its_replicas_and_runs_them_again_once_back() {
        api.create("web", 2, VmConfig.of("caddy", 1, 64), null);
        assign(1, "a");
        assign(2, "a");
        converge();
        assertThat(running()).containsExactly("web-1", "web-2");

        store.unreachable(true);
        e.clock.advance(GRACE);
        assignments.expire(); // the fence clock, which needs no read
        mirror.pass(); // an unreadable store deletes nothing
        e.volantd.controller().reconcileNow("web");
        assertThat(assignments.fenced()).isFalse();
        assertThat(running()).as("within the grace").containsExactly("web-1", "web-2");

        changed.clear();
        e.clock.advance(Duration.ofMillis(1));
        assignments.expire();
        assertThat(assignments.fenced()).isTrue();
        assertThat(changed).containsExactly("web");
        e.volantd.controller().reconcileNow("web");
        assertThat(running()).as("fenced").isEmpty();
        assertThat(e.volantd.deployments().list()).extracting(Deployment::name).containsExactly("web");

        store.unreachable(false);
        converge();
        assertThat(assignments.fenced()).isFalse();
        assertThat(running()).containsExactly("web-1", "web-2");
    }
}
