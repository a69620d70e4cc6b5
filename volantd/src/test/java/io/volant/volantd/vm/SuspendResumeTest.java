package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.store.Store;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.testing.EngineCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Suspend to disk and resume (issue 13 item 4) against SQLite with the simulated backend and a movable clock. */
class SuspendResumeTest extends EngineCase {
    SuspendResumeTest() {
        super("browser", 1, 256);
    }

    private Vm create(String name) {
        VmConfig c = VmConfig.of("browser", 1, 256).withRuntime("browser")
                .withManifest(Engine.manifest("{\"name\":\"browser\",\"runtime\":\"browser\"}"));
        return vms.create(new CreateVmRequest(name, "browser", "browser", 1, 256, "", "", "", c));
    }

    private Path stateDir(String name) {
        return vms.savedStates().dir(name);
    }

    private Duration uptime(String name) {
        return e.launcher.health(name).orElseThrow().uptime();
    }

    private void setStatus(String name, String status) {
        try (Store s = Store.open(e.config.dbPath())) {
            s.write(tx -> {
                tx.vms().updateState(tx.vms().getByName(name).orElseThrow().id(), status, null, "running");
                return null;
            });
        }
    }

    @Test
    void suspend_saves_the_state_ends_the_instance_and_resume_keeps_identity_and_uptime() throws Exception {
        Vm before = create("web");
        e.clock.advance(Duration.ofSeconds(30));

        Vm suspended = vms.suspend("web");
        assertThat(suspended.status()).isEqualTo(VmStatus.SUSPENDED);
        assertThat(suspended.pid()).isNull();
        assertThat(e.launcher.isLive("web")).isFalse();
        assertThat(e.network.taps()).doesNotContainKey(e.network.tapName("web"));
        assertThat(stateDir("web").resolve(SavedStates.MARKER)).isRegularFile();
        assertThat(Files.readString(stateDir("web").resolve(SimulatedLauncher.STATE_FILE))).isEqualTo("30000");
        assertThat(vms.savedStates().usage().count()).isEqualTo(1);
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.SUSPENDED);

        e.clock.advance(Duration.ofSeconds(100)); // time spent suspended does not count as uptime
        Vm resumed = vms.resume("web");
        assertThat(resumed.status()).isEqualTo(VmStatus.RUNNING);
        assertThat(resumed.pid()).isNotNull().isNotEqualTo(before.pid());
        assertThat(resumed.ipAddress()).isEqualTo(before.ipAddress());
        assertThat(resumed.macAddress()).isEqualTo(before.macAddress());
        assertThat(resumed.vsockCid()).isEqualTo(before.vsockCid());
        assertThat(uptime("web")).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.launcher.launches().getLast().macAddress()).isEqualTo(before.macAddress());
        assertThat(stateDir("web")).doesNotExist();
        assertThat(vms.savedStates().usage().count()).isZero();
        assertThat(e.events()).extracting(VmEvent::type, VmEvent::status, VmEvent::message).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple(EventType.VM_SUSPENDED, "suspended", "vm suspended"),
                org.assertj.core.groups.Tuple.tuple(EventType.VM_RUNNING, "running", "vm resumed"));
    }

    @Test
    void suspend_and_resume_refuse_vms_in_the_wrong_state() {
        create("web");
        assertThatThrownBy(() -> vms.resume("web")).isInstanceOf(ConflictException.class)
                .hasMessage("orchestrator: vm web is not suspended (status running)");
        vms.stop("web");
        assertThatThrownBy(() -> vms.suspend("web")).isInstanceOf(ConflictException.class)
                .hasMessage("orchestrator: vm web is not running (status stopped)");
        vms.start("web");
        vms.suspend("web");
        assertThatThrownBy(() -> vms.suspend("web")).isInstanceOf(ConflictException.class)
                .hasMessage("orchestrator: vm web already suspended");
        assertThatThrownBy(() -> vms.patchConfig("web", new ObjectMapper().createObjectNode().put("kernel_cmdline", "x")))
                .isInstanceOf(ConflictException.class)
                .hasMessage("orchestrator: vm web is suspended; resume or stop it before changing its configuration");
        assertThatThrownBy(() -> vms.suspend("nope")).hasMessage("orchestrator: vm not found: nope");
    }

    @Test
    void start_of_a_suspended_vm_resumes_it() {
        create("web");
        e.clock.advance(Duration.ofSeconds(7));
        vms.suspend("web");
        assertThat(vms.start("web").status()).isEqualTo(VmStatus.RUNNING);
        assertThat(uptime("web")).isEqualTo(Duration.ofSeconds(7));
        assertThat(stateDir("web")).doesNotExist();
    }

    @Test
    void stop_of_a_suspended_vm_discards_the_state_and_the_next_start_boots_afresh() {
        create("web");
        e.clock.advance(Duration.ofSeconds(7));
        vms.suspend("web");
        assertThat(vms.stop("web").status()).isEqualTo(VmStatus.STOPPED);
        assertThat(stateDir("web")).doesNotExist();
        vms.start("web");
        assertThat(uptime("web")).isZero();
    }

    @Test
    void destroy_of_a_suspended_vm_removes_its_state_and_releases_its_ip() {
        Vm vm = create("web");
        vms.suspend("web");
        vms.destroy("web");
        assertThat(vms.find("web")).isEmpty();
        assertThat(stateDir("web")).doesNotExist();
        assertThat(create("web2").ipAddress()).isEqualTo(vm.ipAddress());
    }

    @Test
    void a_failed_suspend_leaves_the_vm_running_without_a_state() {
        Vm vm = create("web");
        e.launcher.failNextSuspends(1, "web");
        assertThatThrownBy(() -> vms.suspend("web")).isInstanceOf(InternalException.class)
                .hasMessage("orchestrator: suspend vm web: simulated: suspend failed");
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.RUNNING);
        assertThat(vms.get("web").pid()).isEqualTo(vm.pid());
        assertThat(vms.isLive("web")).isTrue();
        assertThat(stateDir("web")).doesNotExist();
    }

    @Test
    void a_failed_resume_leaves_the_vm_suspended_with_its_state_and_a_retry_works() {
        create("web");
        e.clock.advance(Duration.ofSeconds(5));
        vms.suspend("web");
        e.launcher.failNextLaunches(1, "web");
        assertThatThrownBy(() -> vms.resume("web")).isInstanceOf(InternalException.class)
                .hasMessage("simulated: restore failed");
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.SUSPENDED);
        assertThat(e.network.taps()).isEmpty();
        assertThat(stateDir("web").resolve(SavedStates.MARKER)).isRegularFile();
        assertThat(vms.resume("web").status()).isEqualTo(VmStatus.RUNNING);
        assertThat(uptime("web")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void resume_without_a_saved_state_says_so_and_leaves_the_vm_stopped_and_startable() throws Exception {
        create("web");
        vms.suspend("web");
        Files.delete(stateDir("web").resolve(SavedStates.MARKER));
        assertThatThrownBy(() -> vms.resume("web")).isInstanceOf(ConflictException.class)
                .hasMessage("orchestrator: resume vm web: saved state missing in " + stateDir("web")
                        + "; the vm is now stopped, start it to boot it afresh");
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.STOPPED);
        assertThat(stateDir("web")).doesNotExist();
        assertThat(vms.start("web").status()).isEqualTo(VmStatus.RUNNING);
    }

    @Test
    void a_state_written_by_another_backend_is_not_restored_and_the_vm_becomes_startable() throws Exception {
        create("web");
        vms.suspend("web");
        Path marker = stateDir("web").resolve(SavedStates.MARKER);
        Files.writeString(marker, Files.readString(marker).replace("\"simulated\"", "\"qemu\""));
        assertThatThrownBy(() -> vms.resume("web")).isInstanceOf(ConflictException.class)
                .hasMessage("orchestrator: resume vm web: saved by backend qemu, this volantd runs simulated; the vm "
                        + "is now stopped, start it to boot it afresh");
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.STOPPED);
        assertThat(e.events().getLast().message()).isEqualTo("resume impossible: saved by backend qemu, this volantd "
                + "runs simulated");
        assertThat(vms.start("web").status()).isEqualTo(VmStatus.RUNNING);
    }

    @Test
    void a_suspended_vm_stays_suspended_across_a_crash_of_volantd_and_resumes_with_its_uptime() {
        Vm vm = create("web");
        e.clock.advance(Duration.ofSeconds(12));
        vms.suspend("web");
        e.crashAndReopen();
        vms = e.volantd.vms();
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.SUSPENDED);
        Vm resumed = vms.resume("web");
        assertThat(resumed.ipAddress()).isEqualTo(vm.ipAddress());
        assertThat(uptime("web")).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void recovery_marks_a_vm_suspended_when_the_crash_came_after_its_state_was_complete() {
        create("web");
        e.clock.advance(Duration.ofSeconds(3));
        vms.suspend("web");
        setStatus("web", "running"); // as if volantd died before marking the row
        e.crashAndReopen();
        vms = e.volantd.vms();
        assertThat(vms.get("web").status()).isEqualTo(VmStatus.SUSPENDED);
        assertThat(e.events()).extracting(VmEvent::type).contains(EventType.VM_SUSPENDED);
        vms.resume("web");
        assertThat(uptime("web")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void recovery_removes_torn_and_orphan_states_and_stops_a_suspended_vm_whose_state_is_gone() throws Exception {
        create("torn");
        create("lost");
        vms.suspend("lost");
        Files.createDirectories(stateDir("torn")); // suspend interrupted before the marker
        Files.writeString(stateDir("torn").resolve("partial"), "x");
        Files.createDirectories(stateDir("ghost")); // its VM was destroyed before the directory went
        Files.delete(stateDir("lost").resolve(SavedStates.MARKER));
        e.crashAndReopen();
        vms = e.volantd.vms();
        assertThat(vms.get("torn").status()).isEqualTo(VmStatus.CRASHED);
        assertThat(vms.get("lost").status()).isEqualTo(VmStatus.STOPPED);
        assertThat(stateDir("torn")).doesNotExist();
        assertThat(stateDir("ghost")).doesNotExist();
        assertThat(stateDir("lost")).doesNotExist();
    }
}
