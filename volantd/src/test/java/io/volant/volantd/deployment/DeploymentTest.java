package io.volant.volantd.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.manifest.CloudInit;
import io.volant.manifest.CloudInitDoc;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.store.IpAllocation;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.ProcessStarted;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.testing.MutableClock;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmQuery;
import io.volant.volantd.vm.VmService;
import io.volant.volantd.vm.VmStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployments at the service level: the seed scenario and control-plane.md §10 AC-O2, C9-C11, C17. */
class DeploymentTest {
    @TempDir
    Path dir;
    Engine e;
    DeploymentService deployments;
    VmService vms;

    @BeforeEach
    void setUp() {
        e = new Engine(dir);
        deployments = e.volantd.deployments();
        vms = e.volantd.vms();
        e.install("caddy", 2, 512);
        e.install("browser", 1, 512);
    }

    @AfterEach
    void tearDown() {
        e.close();
    }

    private List<String> names() {
        return vms.list(new VmQuery(null, "", "", "", "name", false, null, 0)).items().stream().map(Vm::name).toList();
    }

    private List<IpAllocation> leases() {
        try (Store s = Store.open(e.config.dbPath())) {
            return s.read(tx -> tx.ips().list()).stream().filter(l -> l.status().equals("leased")).toList();
        }
    }

    private List<Path> seeds() throws Exception {
        Path d = e.config.runtimeDir().resolve("cloudinit");
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void create_and_scale_answer_with_the_replicas_a_controller_worker_launched() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        SimulatedLauncher sim = new SimulatedLauncher();
        Launcher recording = new Launcher() {
            @Override
            public String backend() {
                return sim.backend();
            }

            @Override
            public Instance launch(LaunchSpec spec, ProcessStarted started) {
                threads.add(Thread.currentThread().getName());
                return sim.launch(spec, started);
            }
        };
        try (Engine other = new Engine(Files.createDirectories(dir.resolve("other")), new MutableClock(), recording)) {
            other.install("caddy", 1, 128);
            DeploymentService ds = other.volantd.deployments();
            assertThat(ds.create("web", 2, VmConfig.of("caddy", 1, 128)).readyReplicas()).isEqualTo(2);
            assertThat(ds.scale("web", 3).readyReplicas()).isEqualTo(3);
            assertThat(threads).hasSize(3).allMatch(t -> t.startsWith("deployment-worker-"));
        }
    }

    @Test
    void seed_scenario_create_scale_heal_scale_down_and_delete() throws Exception {
        VmConfig web = VmConfig.of("caddy", 2, 512)
                .withCloudInit(new CloudInit("", "", new CloudInitDoc(true, "#cloud-config", ""), null, null));
        Deployment d = deployments.create("web", 3, web);
        assertThat(d.desiredReplicas()).isEqualTo(3);
        assertThat(d.readyReplicas()).isEqualTo(3);
        assertThat(names()).containsExactly("web-1", "web-2", "web-3");
        assertThat(d.config().runtime()).isEqualTo("caddy");
        assertThat(d.config().manifest().name()).isEqualTo("caddy");
        assertThat(vms.get("web-1").cpuCores()).isEqualTo(2);
        assertThat(vms.get("web-1").memoryMb()).isEqualTo(512);
        assertThat(vms.get("web-1").deployment()).isEqualTo("web");

        assertThat(deployments.scale("web", 5).readyReplicas()).isEqualTo(5);
        assertThat(names()).containsExactly("web-1", "web-2", "web-3", "web-4", "web-5");

        vms.destroy("web-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> names().contains("web-2"));
        assertThat(names()).containsExactly("web-1", "web-2", "web-3", "web-4", "web-5");

        deployments.scale("web", 2);
        assertThat(names()).containsExactly("web-1", "web-2");

        deployments.delete("web");
        assertThat(names()).isEmpty();
        assertThatThrownBy(() -> deployments.get("web")).isInstanceOf(NotFoundException.class)
                .hasMessage("orchestrator: deployment not found: web");
        assertThat(deployments.list()).isEmpty();
        assertThat(leases()).isEmpty();
        assertThat(seeds()).isEmpty();
    }

    @Test
    void scaling_creates_and_removes_members_by_index() {
        VmConfig c = VmConfig.of("browser", 1, 512).withRuntime("browser")
                .withManifest(Engine.manifest("{\"name\":\"browser\",\"runtime\":\"browser\"}"));
        Deployment d = deployments.create("demo", 2, c);
        assertThat(d.desiredReplicas()).isEqualTo(2);
        assertThat(e.launcher.launches()).hasSize(2);
        assertThat(deployments.scale("demo", 3).desiredReplicas()).isEqualTo(3);
        assertThat(names()).containsExactly("demo-1", "demo-2", "demo-3");
        assertThat(e.launcher.launches()).hasSize(3);
        assertThat(deployments.scale("demo", 1).desiredReplicas()).isEqualTo(1);
        assertThat(names()).containsExactly("demo-1");
        deployments.delete("demo");
        assertThatThrownBy(() -> deployments.get("demo")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void scale_up_fills_the_lowest_gaps() {
        deployments.create("g", 4, VmConfig.of("caddy", 0, 0));
        vms.destroy("g-2", false);
        vms.destroy("g-3", false);
        deployments.scale("g", 3);
        assertThat(names()).containsExactly("g-1", "g-2", "g-4");
    }

    @Test
    void validation_errors_name_the_rule() {
        assertThatThrownBy(() -> deployments.create("", 1, VmConfig.of("caddy", 0, 0)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("orchestrator: deployment name required");
        assertThatThrownBy(() -> deployments.create("Web", 1, VmConfig.of("caddy", 0, 0)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("orchestrator: invalid deployment name \"Web\"");
        assertThatThrownBy(() -> deployments.create("web", -1, VmConfig.of("caddy", 0, 0)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("orchestrator: replicas must be >= 0");
        // One resolver for VMs and deployments (vm.PluginTemplates): an unknown plugin is 404, as for a VM.
        assertThatThrownBy(() -> deployments.create("web", 1, VmConfig.of("nginx", 0, 0)))
                .isInstanceOf(NotFoundException.class).hasMessage("plugin nginx not found");
        deployments.create("web", 0, VmConfig.of("caddy", 0, 0));
        assertThatThrownBy(() -> deployments.create("web", 0, VmConfig.of("caddy", 0, 0)))
                .isInstanceOf(ConflictException.class).hasMessage("orchestrator: deployment already exists: web");
        assertThatThrownBy(() -> deployments.scale("nope", 1)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void a_disabled_plugin_blocks_new_deployments() {
        e.volantd.plugins().setEnabled("caddy", false);
        assertThatThrownBy(() -> deployments.create("web", 1, VmConfig.of("caddy", 0, 0)))
                .isInstanceOf(ConflictException.class).hasMessage("plugin caddy disabled");
    }

    @Test
    void concurrent_scales_end_with_the_last_accepted_target() throws Exception {
        deployments.create("demo", 0, VmConfig.of("browser", 1, 64));
        List<CompletableFuture<Deployment>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int target = i % 7;
            calls.add(CompletableFuture.supplyAsync(() -> deployments.scale("demo", target)));
        }
        for (var c : calls) {
            c.get();
        }
        int last = deployments.get("demo").desiredReplicas();
        await().atMost(Duration.ofSeconds(10)).until(() -> names().size() == last);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= last; i++) {
            expected.add("demo-" + i);
        }
        assertThat(names()).containsExactlyInAnyOrderElementsOf(expected);
        long launchedNames = e.launcher.launches().stream().map(s -> s.name()).distinct().count();
        assertThat(launchedNames).isLessThanOrEqualTo(6);
    }

    @Test
    void a_failed_replica_creation_is_retried_with_backoff() {
        e.launcher.failNextLaunches(1, "demo-2");
        Deployment d = deployments.create("demo", 3, VmConfig.of("browser", 1, 64));
        assertThat(d.desiredReplicas()).isEqualTo(3);
        assertThat(names()).containsExactly("demo-1");
        e.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> names().size() == 3);
        assertThat(names()).containsExactly("demo-1", "demo-2", "demo-3");
    }

    @Test
    void replica_names_held_by_standalone_vms_are_skipped_and_reserved() {
        vms.create(CreateVmRequest.of("demo-2", "browser"));
        deployments.create("demo", 2, VmConfig.of("browser", 1, 64));
        assertThat(deployments.get("demo").desiredReplicas()).isEqualTo(2);
        assertThat(vms.get("demo-1").deployment()).isEqualTo("demo");
        assertThat(vms.get("demo-3").deployment()).isEqualTo("demo");
        assertThat(vms.get("demo-2").deployment()).isNull();
        assertThatThrownBy(() -> vms.create(CreateVmRequest.of("demo-4", "browser")))
                .isInstanceOf(ConflictException.class).hasMessage("orchestrator: vm name demo-4 is reserved by deployment demo");
    }

    @Test
    void a_crashed_replica_is_restarted_with_backoff_and_not_counted_ready_meanwhile() {
        deployments.create("web", 2, VmConfig.of("caddy", 0, 0));
        e.launcher.exit("web-1", 1);
        await().until(() -> vms.get("web-1").status() == VmStatus.CRASHED);
        assertThat(deployments.get("web").readyReplicas()).isEqualTo(1);
        e.clock.advance(Duration.ofMillis(1000));
        await().atMost(Duration.ofSeconds(10)).until(() -> vms.get("web-1").status() == VmStatus.RUNNING);
        assertThat(deployments.get("web").readyReplicas()).isEqualTo(2);

        // second crash soon after: 2 s backoff
        e.launcher.exit("web-1", 1);
        await().until(() -> vms.get("web-1").status() == VmStatus.CRASHED);
        e.clock.advance(Duration.ofSeconds(1));
        e.volantd.controller().enqueue("web");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> vms.get("web-1").status() == VmStatus.CRASHED);
        e.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> vms.get("web-1").status() == VmStatus.RUNNING);
        assertThat(e.events()).filteredOn(v -> v.name().equals("web-1")).extracting(VmEvent::type)
                .containsSubsequence(EventType.VM_CRASHED, EventType.VM_RUNNING, EventType.VM_CRASHED, EventType.VM_RUNNING);
    }

    @Test
    void a_stopped_replica_stays_stopped_and_is_not_replaced() {
        deployments.create("web", 2, VmConfig.of("caddy", 0, 0));
        vms.stop("web-2");
        e.clock.advance(Duration.ofSeconds(30));
        e.volantd.controller().enqueue("web");
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> vms.get("web-2").status() == VmStatus.STOPPED);
        assertThat(names()).containsExactly("web-1", "web-2");
        assertThat(deployments.get("web").readyReplicas()).isEqualTo(1);
        vms.start("web-2");
        assertThat(deployments.get("web").readyReplicas()).isEqualTo(2);
    }

    @Test
    void kill_and_restart_during_a_scale_converges_without_duplicates_or_orphans() throws Exception {
        deployments.create("big", 0, VmConfig.of("browser", 1, 64));
        CompletableFuture<?> scaling = CompletableFuture.runAsync(() -> {
            try {
                deployments.scale("big", 50);
            } catch (RuntimeException expected) {
                // the engine dies under it
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> e.launcher.launches().size() >= 20);
        e.crashAndReopen();
        scaling.get();
        deployments = e.volantd.deployments();
        vms = e.volantd.vms();
        e.clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            e.clock.advance(Duration.ofSeconds(1));
            return deployments.get("big").readyReplicas() == 50;
        });
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            expected.add("big-" + i);
        }
        assertThat(names()).containsExactlyInAnyOrderElementsOf(expected);
        try (Store s = Store.open(e.config.dbPath())) {
            List<VmRow> rows = s.read(tx -> tx.vms().list());
            assertThat(rows).extracting(VmRow::vsockCid).doesNotHaveDuplicates().allMatch(c -> c >= 3 && c <= 52);
            List<IpAllocation> leased = s.read(tx -> tx.ips().list()).stream().filter(l -> l.status().equals("leased")).toList();
            assertThat(leased).hasSize(50);
            assertThat(leased).extracting(IpAllocation::ipAddress)
                    .containsExactlyInAnyOrderElementsOf(rows.stream().map(VmRow::ipAddress).toList());
        }
        assertThat(e.launcher.launches().stream().map(s -> s.name()).distinct().count()).isEqualTo(50);
    }

    // A cluster node's controller reconciles the explicit set of indices assigned to it (docs/cluster.md), not a
    // count: the engine's "assigned" map is the twin of the node's assignments.

    private void assign(String deployment, Integer... indices) {
        e.assigned.put(deployment, new TreeSet<>(List.of(indices)));
        e.volantd.controller().reconcileNow(deployment);
    }

    @Test
    void a_node_runs_exactly_its_assigned_indices_of_a_larger_deployment() {
        e.assigned.put("web", new TreeSet<>(List.of(2, 5)));
        Deployment d = deployments.create("web", 6, VmConfig.of("caddy", 1, 64));
        assertThat(names()).containsExactly("web-2", "web-5");
        assertThat(d.desiredReplicas()).isEqualTo(6);
    }

    @Test
    void a_changed_assignment_removes_the_indices_taken_away_and_creates_the_new_ones() {
        assign("web", 2, 5);
        deployments.create("web", 6, VmConfig.of("caddy", 1, 64));

        assign("web", 5, 6, 1);
        assertThat(names()).containsExactly("web-1", "web-5", "web-6");

        assign("web");
        assertThat(names()).isEmpty();
    }

    @Test
    void an_index_moved_away_goes_before_a_kept_one_even_when_it_is_lower() {
        assign("web", 1, 2, 3);
        deployments.create("web", 3, VmConfig.of("caddy", 1, 64));
        assign("web", 2, 3);
        assertThat(names()).containsExactly("web-2", "web-3");
    }

    @Test
    void a_rollout_replaces_only_the_assigned_members() {
        assign("web", 2, 4);
        deployments.create("web", 4, VmConfig.of("caddy", 1, 64));
        deployments.update("web", null, VmConfig.of("caddy", 1, 128), null);
        await().untilAsserted(() -> {
            e.volantd.controller().reconcileNow("web");
            assertThat(deployments.get("web").rollout().status()).as("members %s", names()).isEqualTo("complete");
        });
        assertThat(names()).containsExactly("web-2", "web-4");
        assertThat(vms.find("web-4").orElseThrow().memoryMb()).isEqualTo(128);
    }
}
