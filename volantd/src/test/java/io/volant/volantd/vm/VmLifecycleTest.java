package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.manifest.CloudInit;
import io.volant.manifest.CloudInitDoc;
import io.volant.manifest.DeviceConfig;
import io.volant.manifest.NetworkConfig;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.ErrorKind;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.errors.VolantException;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.store.IpAllocation;
import io.volant.volantd.store.Store;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.testing.EngineCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** VM lifecycle against a real SQLite file with the simulated backend (control-plane.md §10). */
class VmLifecycleTest extends EngineCase {
    VmLifecycleTest() {
        super("browser", 1, 256);
    }

    private static VmConfig browser(int cpu, int mem) {
        return VmConfig.of("browser", cpu, mem).withRuntime("browser")
                .withManifest(Engine.manifest("{\"name\":\"browser\",\"runtime\":\"browser\"}"));
    }

    private Vm create(String name) {
        return vms.create(new CreateVmRequest(name, "browser", "browser", 2, 2048, "", "", "", browser(2, 2048)));
    }

    private IpAllocation lease(String ip) {
        try (Store s = Store.open(e.config.dbPath())) {
            return s.read(tx -> tx.ips().lookup(ip)).orElseThrow();
        }
    }

    @Test
    void create_boots_a_vm_with_ip_and_pid_and_destroy_removes_it() {
        Vm vm = create("vm-test-1");
        assertThat(vm.status()).isEqualTo(VmStatus.RUNNING);
        assertThat(vm.ipAddress()).isNotEmpty();
        assertThat(vm.pid()).isNotNull();
        assertThat(e.launcher.launches()).hasSize(1);
        assertThat(vms.list(VmQuery.all()).items()).hasSize(1);

        vms.destroy("vm-test-1");
        assertThat(vms.find("vm-test-1")).isEmpty();
        assertThat(e.network.cleanedTaps()).containsExactly(e.network.tapName("vm-test-1"));
        assertThat(e.events()).extracting(VmEvent::type)
                .containsExactly(EventType.VM_CREATED, EventType.VM_RUNNING, EventType.VM_DELETED);
    }

    @Test
    void launch_spec_carries_the_volant_arguments_and_stored_command_line() {
        Vm vm = create("web-a");
        var spec = e.launcher.launches().get(0);
        assertThat(spec.args()).containsEntry("volant.runtime", "browser").containsEntry("volant.plugin", "browser")
                .containsEntry("volant.api_host", "192.168.127.1").containsEntry("volant.api_port", "7777")
                .containsEntry("volant.boot", "initramfs").containsKey("volant.manifest");
        assertThat(spec.kernelCmdline()).isEqualTo(vm.kernelCmdline())
                .endsWith("ip=" + vm.ipAddress() + "::192.168.127.1:255.255.255.0:web-a:eth0:off");
        assertThat(spec.macAddress()).isEqualTo(vm.macAddress()).startsWith("02:");
        assertThat(spec.vsockCid()).isEqualTo(3);
    }

    @Test
    void vms_without_host_ip_coexist_with_consecutive_cids() {
        for (String[] v : new String[][] {{"a1", "vsock"}, {"a2", "vsock"}, {"a3", "dhcp"}}) {
            vms.create(new CreateVmRequest(v[0], "browser", "", 0, 0, "", "", "",
                    browser(1, 128).withNetwork(new NetworkConfig(v[1], "", "", false))));
        }
        List<Vm> all = vms.list(VmQuery.all()).items();
        assertThat(all).extracting(Vm::ipAddress).containsOnly("");
        assertThat(all).extracting(Vm::vsockCid).containsExactly(3L, 4L, 5L);
        assertThat(e.network.taps()).containsOnlyKeys(e.network.tapName("a3"));
    }

    @Test
    void invalid_names_are_refused_without_leaving_anything() throws Exception {
        for (String bad : List.of("../x", "Web", "a_b", "a".repeat(64))) {
            assertThatThrownBy(() -> create(bad)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("orchestrator: invalid vm name \"" + bad + "\" (must be a lowercase DNS label)");
        }
        assertThat(vms.list(VmQuery.all()).total()).isZero();
        Path run = e.config.runtimeDir();
        try (Stream<Path> files = Files.exists(run) ? Files.walk(run) : Stream.empty()) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void a_failed_launch_rolls_back_row_lease_seed_tap_and_vfio() {
        e.crashAndReopen(); // fresh engine whose VFIO twin accepts devices
        vms = e.volantd.vms();
        e.launcher.failNextLaunches(1, null);
        VmConfig c = browser(1, 128).withDevices(new DeviceConfig(List.of("0000:01:00.0"), List.of()))
                .withCloudInit(new CloudInit("", "", new CloudInitDoc(true, "#cloud-config", ""), null, null));
        assertThatThrownBy(() -> vms.create(new CreateVmRequest("rb", "browser", "", 0, 0, "", "", "", c)))
                .isInstanceOf(InternalException.class).hasMessage("simulated: launch failed");
        assertThat(vms.find("rb")).isEmpty();
        assertThat(lease("192.168.127.2").status()).isEqualTo("available");
        assertThat(Files.exists(e.config.runtimeDir().resolve("cloudinit/rb-seed.img"))).isFalse();
        assertThat(e.network.cleanedTaps()).containsExactly("vttap-rb");
        assertThat(e.vfio.unbound()).containsExactly("0000:01:00.0");
        List<VmEvent> ev = e.events();
        assertThat(ev).extracting(VmEvent::type).containsExactly(EventType.VM_CREATED, EventType.VM_DELETED);
        assertThat(ev.get(1).message()).isEqualTo("vm create rolled back: simulated: launch failed");
    }

    @Test
    void concurrent_starts_launch_once() throws Exception {
        create("s1");
        vms.stop("s1");
        int before = e.launcher.launches().size();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return vms.start("s1");
                } catch (VolantException x) {
                    return x;
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            }));
        }
        go.countDown();
        List<Object> results = new ArrayList<>();
        for (var f : calls) {
            results.add(f.get());
        }
        assertThat(e.launcher.launches()).hasSize(before + 1);
        assertThat(results).filteredOn(r -> r instanceof ConflictException).hasSize(1)
                .first().extracting(r -> ((ConflictException) r).getMessage()).isEqualTo("orchestrator: vm s1 already running");
    }

    @Test
    void destroy_unbinds_the_passthrough_devices_of_the_config() {
        VmConfig c = browser(1, 128).withDevices(new DeviceConfig(List.of("0000:01:00.0"), List.of()));
        vms.create(new CreateVmRequest("gpu", "browser", "", 0, 0, "", "", "", c));
        assertThat(e.vfio.bound()).containsExactly("0000:01:00.0");
        vms.destroy("gpu");
        assertThat(e.vfio.unbound()).containsExactly("0000:01:00.0");
    }

    @Test
    void stop_is_idempotent_and_publishes_only_for_a_running_vm() {
        create("st");
        Vm stopped = vms.stop("st");
        assertThat(stopped.status()).isEqualTo(VmStatus.STOPPED);
        assertThat(stopped.pid()).isNull();
        vms.stop("st");
        assertThat(e.events()).extracting(VmEvent::type).filteredOn(t -> t == EventType.VM_STOPPED).hasSize(1);
        assertThat(vms.start("st").status()).isEqualTo(VmStatus.RUNNING);
        assertThatThrownBy(() -> vms.start("st")).isInstanceOf(ConflictException.class);
        Vm restarted = vms.restart("st");
        assertThat(restarted.status()).isEqualTo(VmStatus.RUNNING);
        assertThat(e.events()).extracting(VmEvent::message).endsWith("vm stopped", "vm started");
    }

    @Test
    void unknown_vms_are_not_found_with_the_spec_message() {
        for (Runnable op : List.<Runnable>of(() -> vms.start("nope"), () -> vms.stop("nope"), () -> vms.destroy("nope"),
                () -> vms.config("nope"), () -> vms.get("nope"))) {
            assertThatThrownBy(op::run).isInstanceOf(NotFoundException.class).hasMessage("orchestrator: vm not found: nope")
                    .extracting(x -> ((VolantException) x).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
    }

    @Test
    void a_clean_exit_records_stopped_and_an_error_exit_records_crashed() {
        create("x0");
        create("x1");
        e.launcher.exit("x0", 0);
        e.launcher.exit("x1", 1);
        await().until(() -> vms.get("x0").status() == VmStatus.STOPPED && vms.get("x1").status() == VmStatus.CRASHED);
        assertThat(vms.get("x1").pid()).isNull();
        await().until(() -> e.events().stream().anyMatch(v -> v.type() == EventType.VM_CRASHED));
        assertThat(e.events()).filteredOn(v -> v.type() == EventType.VM_CRASHED).extracting(VmEvent::message)
                .containsExactly("exit status 1");
        assertThat(e.events()).filteredOn(v -> v.name().equals("x0")).extracting(VmEvent::message)
                .containsExactly("vm record created", "vm running", "vm exited cleanly");
        assertThat(e.launcher.isLive("x0")).isFalse();
    }

    @Test
    void a_killed_instance_is_reported_with_the_signal_text() {
        create("k");
        e.launcher.kill("k", "KILL");
        await().until(() -> e.events().stream().anyMatch(v -> v.type() == EventType.VM_CRASHED));
        assertThat(e.events()).filteredOn(v -> v.type() == EventType.VM_CRASHED).extracting(VmEvent::message)
                .containsExactly("signal: killed");
    }

    @Test
    void leases_are_handed_out_in_numeric_order() {
        create("n1");
        create("n2");
        create("n3");
        assertThat(vms.list(VmQuery.all()).items()).extracting(Vm::ipAddress)
                .containsExactly("192.168.127.2", "192.168.127.3", "192.168.127.4");
    }

    @Test
    void vm_level_cloud_init_without_datasource_defaults_to_nocloud() {
        VmConfig c = browser(1, 128).withCloudInit(new CloudInit("", "", new CloudInitDoc(true, "#cloud-config\nruncmd: []", ""), null, null));
        vms.create(new CreateVmRequest("ci", "browser", "", 0, 0, "", "", "", c));
        VmConfig stored = vms.config("ci").config();
        assertThat(stored.cloudInit().datasource()).isEqualTo("NoCloud");
        assertThat(stored.cloudInit().seedMode()).isEqualTo("vfat");
        assertThat(e.config.runtimeDir().resolve("cloudinit/ci-seed.img")).exists();
        assertThat(e.launcher.launches().get(0).seedDisk().path()).endsWith("ci-seed.img");
        vms.destroy("ci");
        assertThat(e.config.runtimeDir().resolve("cloudinit/ci-seed.img")).doesNotExist();
    }

    @Test
    void manifest_resources_are_the_defaults_when_request_and_config_give_none() {
        e.install("caddy", 2, 512);
        Vm vm = vms.create(CreateVmRequest.of("c1", "caddy"));
        assertThat(vm.cpuCores()).isEqualTo(2);
        assertThat(vm.memoryMb()).isEqualTo(512);
        Vm fallback = vms.create(new CreateVmRequest("c2", "browser", "", 0, 0, "", "", "", browser(0, 0)));
        assertThat(fallback.cpuCores()).isEqualTo(2);
        assertThat(fallback.memoryMb()).isEqualTo(2048);
    }

    @Test
    void disabled_plugins_block_new_vms_and_removed_ones_are_not_found() {
        e.install("caddy", 1, 64);
        e.volantd.plugins().setEnabled("caddy", false);
        assertThatThrownBy(() -> vms.create(CreateVmRequest.of("d1", "caddy"))).isInstanceOf(ConflictException.class)
                .hasMessage("plugin caddy disabled");
        assertThat(e.volantd.summary().enabledPlugins()).isEqualTo(1);
        assertThat(e.volantd.summary().totalPlugins()).isEqualTo(2);
        e.volantd.plugins().remove("caddy");
        assertThatThrownBy(() -> vms.create(CreateVmRequest.of("d1", "caddy"))).isInstanceOf(NotFoundException.class)
                .hasMessage("plugin caddy not found");
        assertThat(e.volantd.summary().plugins()).extracting(p -> p.name()).containsExactly("browser");
    }

    @Test
    void config_patch_applies_network_changes_that_keep_the_ip_need() throws Exception {
        ObjectMapper m = new ObjectMapper();
        vms.create(new CreateVmRequest("vs", "browser", "", 0, 0, "", "", "",
                browser(1, 128).withNetwork(new NetworkConfig("vsock", "", "", false))));
        VersionedConfig v2 = vms.patchConfig("vs", m.readTree("{\"network\":{\"mode\":\"dhcp\"}}"));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.config().network().mode()).isEqualTo("dhcp");

        create("br");
        assertThatThrownBy(() -> vms.patchConfig("br", m.readTree("{\"network\":{\"mode\":\"vsock\"}}")))
                .isInstanceOf(ConflictException.class)
                .hasMessage("vmconfig: network mode change from bridged to vsock requires recreating the vm");

        vms.patchConfig("br", m.readTree("{\"devices\":{\"pci_passthrough\":[]}}"));
        assertThat(vms.config("br").config().devices()).isNotNull();
        VersionedConfig cleared = vms.patchConfig("br", m.readTree("{\"devices\":null}"));
        assertThat(cleared.config().devices()).isNull();
        assertThat(vms.configHistory("br", 0)).extracting(ConfigHistoryEntry::version).containsExactly(3, 2, 1);
    }

    @Test
    void config_patch_updates_the_row_and_validates() throws Exception {
        ObjectMapper m = new ObjectMapper();
        create("p1");
        vms.patchConfig("p1", m.readTree("{\"resources\":{\"cpu_cores\":4},\"kernel_cmdline\":\"foo=bar\"}"));
        Vm vm = vms.get("p1");
        assertThat(vm.cpuCores()).isEqualTo(4);
        assertThat(vm.memoryMb()).isEqualTo(2048);
        assertThat(vm.kernelCmdline()).endsWith(" foo=bar");
        assertThatThrownBy(() -> vms.patchConfig("p1", m.readTree("{\"resources\":{\"memory_mb\":0}}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("vmconfig: memory_mb must be greater than zero");
        assertThat(vms.config("p1").version()).isEqualTo(2);
    }

    @Test
    void list_filters_sorts_and_paginates() {
        create("b");
        create("a");
        create("c");
        vms.stop("c");
        Page<Vm> page = vms.list(new VmQuery(java.util.Set.of("running"), "", "browser", "", "name", true, 1, 0));
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(Vm::name).containsExactly("b");
        assertThat(vms.list(new VmQuery(null, "BROWSER", "", "192.168.127.3", "", false, null, 0)).items())
                .extracting(Vm::name).containsExactly("a");
        assertThat(vms.list(new VmQuery(null, "", "", "", "", false, null, 10)).items()).isEmpty();
    }

    @Test
    void graceful_shutdown_stops_every_vm_and_records_it() {
        create("g1");
        create("g2");
        create("g3");
        List<VmEvent> before = e.events();
        e.volantd.close();
        List<VmEvent> after = new ArrayList<>();
        try (Store s = Store.open(e.config.dbPath())) {
            assertThat(s.<List<io.volant.volantd.store.VmRow>>read(tx -> tx.vms().list())).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo("stopped");
                assertThat(r.pid()).isNull();
                assertThat(r.desiredState()).isEqualTo("running");
            });
        }
        after.addAll(e.events());
        assertThat(after.subList(before.size(), after.size())).extracting(VmEvent::message)
                .containsOnly("volantd shutdown").hasSize(3);
        assertThat(e.launcher.isLive("g1")).isFalse();
        e.volantd = null;
        e = new Engine(dir); // for tearDown
    }

    @Test
    void restart_recovery_marks_dead_hypervisors_crashed_and_drops_half_created_vms() {
        create("r1");
        e.volantd.halt();
        try (Store s = Store.open(e.config.dbPath())) {
            s.write(tx -> {
                String ip = tx.ips().leaseNextAvailable();
                long id = tx.vms().insert(new io.volant.volantd.store.NewVm("half", "starting", ip, "02:00:00:00:00:99", 1,
                        64, "", "browser", null, null, tx.vms().nextFreeCid(), "running"));
                tx.ips().assign(ip, id);
                return null;
            });
        }
        e = new Engine(dir);
        vms = e.volantd.vms();
        Vm r1 = vms.get("r1");
        assertThat(r1.status()).isEqualTo(VmStatus.CRASHED);
        assertThat(r1.pid()).isNull();
        assertThat(vms.find("half")).isEmpty();
        assertThat(lease("192.168.127.3").status()).isEqualTo("available");
        assertThat(e.events()).extracting(VmEvent::type, VmEvent::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(EventType.VM_CRASHED, "hypervisor not running after volantd restart"));
        assertThat(vms.start("r1").status()).isEqualTo(VmStatus.RUNNING);
    }
}
