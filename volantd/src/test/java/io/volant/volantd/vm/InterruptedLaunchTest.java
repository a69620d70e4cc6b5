package io.volant.volantd.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.errors.InternalException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.hypervisor.process.HypervisorProcesses;
import io.volant.volantd.hypervisor.template.SimulatedTemplating;
import io.volant.volantd.hypervisor.template.TemplateImage;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 8: the pid is on the VM's row as soon as the hypervisor process exists, before the launch returns,
 * so a crash in the rest of the launch leaves a process that recovery finds by its row and stops.
 */
class InterruptedLaunchTest {
    @TempDir
    Path dir;
    Engine e;

    @AfterEach
    void tearDown() {
        if (e != null) {
            e.close();
        }
    }

    private VmRow row(String name) {
        try (Store s = Store.open(e.config.dbPath())) {
            return s.read(tx -> tx.vms().getByName(name)).orElseThrow();
        }
    }

    /** VM {@code a}'s create "kills" volantd right after the hypervisor process started. */
    private void createCrashingRightAfterTheProcessStarted() {
        e = new Engine(dir);
        e.install("caddy", 1, 128);
        e.launcher.crashAfterStart("a");
        assertThatThrownBy(() -> e.volantd.vms().create(CreateVmRequest.of("a", "caddy")))
                .isInstanceOf(SimulatedLauncher.SimulatedCrash.class);
    }

    @Test
    void a_crash_right_after_the_process_started_leaves_a_row_owning_it_and_the_next_start_stops_it() {
        createCrashingRightAfterTheProcessStarted();
        VmRow left = row("a");
        assertThat(left.status()).isEqualTo("starting");
        assertThat(left.pid()).isEqualTo(SimulatedLauncher.FIRST_PID);
        assertThat(e.launcher.isLive("a")).isTrue(); // the "process" outlives volantd

        StrayRecoveryTest.Host host = new StrayRecoveryTest.Host();
        host.running.add(new HypervisorProcesses.Found(left.pid(), "a"));
        e.processes = host;
        e.crashAndReopen();

        assertThat(host.stopped).containsExactly(left.pid());
        assertThat(host.running).isEmpty();
        VmRow after = row("a");
        assertThat(after.status()).isEqualTo("stopped");
        assertThat(after.pid()).isNull();
        // and it starts again normally, with a fresh process
        assertThat(e.volantd.vms().start("a").status()).isEqualTo(VmStatus.RUNNING);
    }

    @Test
    void an_interrupted_launch_whose_process_is_gone_is_recorded_stopped_and_nothing_is_signalled() {
        createCrashingRightAfterTheProcessStarted();
        StrayRecoveryTest.Host host = new StrayRecoveryTest.Host(); // the host shows no such process any more
        e.processes = host;
        e.crashAndReopen();
        assertThat(host.stopped).isEmpty();
        assertThat(row("a").status()).isEqualTo("stopped");
        assertThat(row("a").pid()).isNull();
    }

    @Test
    void a_launch_failing_after_the_process_started_stops_it_and_rolls_the_row_back() {
        e = new Engine(dir);
        e.install("caddy", 1, 128);
        e.launcher.failNextLaunchesAfterStart(1, "a");
        assertThatThrownBy(() -> e.volantd.vms().create(CreateVmRequest.of("a", "caddy")))
                .isInstanceOf(InternalException.class).hasMessage("simulated: launch failed after the process started");
        assertThat(e.volantd.vms().find("a")).isEmpty();
        assertThat(e.launcher.isLive("a")).isFalse();
        assertThat(e.network.taps()).isEmpty();
    }

    @Test
    void a_resume_reports_the_pid_before_it_returns_and_a_crash_there_keeps_the_saved_state() {
        e = new Engine(dir);
        e.install("caddy", 1, 128);
        e.volantd.vms().create(CreateVmRequest.of("a", "caddy"));
        e.volantd.vms().suspend("a");
        e.launcher.crashAfterStart("a");
        assertThatThrownBy(() -> e.volantd.vms().resume("a")).isInstanceOf(SimulatedLauncher.SimulatedCrash.class);
        VmRow left = row("a");
        assertThat(left.status()).isEqualTo("starting");
        StrayRecoveryTest.Host host = new StrayRecoveryTest.Host();
        host.running.add(new HypervisorProcesses.Found(left.pid(), "a"));
        e.processes = host;
        e.crashAndReopen();
        assertThat(host.stopped).containsExactly(left.pid());
        assertThat(row("a").status()).isEqualTo("suspended"); // the state is complete: resume again later
    }

    @Test
    void a_clone_reports_its_pid_before_its_identity_and_is_stopped_when_the_identity_fails() {
        SimulatedLauncher launcher = new SimulatedLauncher();
        SimulatedTemplating templating = new SimulatedTemplating(launcher, dir);
        LaunchSpec web = Specs.acL1("/var/lib/volant/caddy.cpio.gz");
        TemplateImage image = templating.capture("tpl", web, Duration.ofSeconds(1));
        LaunchSpec clone = web.asClone("web-2", "vttap-web-2", "/run/web-2.serial");
        List<Long> reported = new ArrayList<>();

        Instance ok = templating.clone(image, clone, Duration.ofSeconds(1), reported::add);
        assertThat(reported).containsExactly(ok.pid());

        templating.failNextIdentities(1);
        assertThatThrownBy(() -> templating.clone(image, clone.asClone("web-3", "vttap-web-3", "/run/web-3.serial"),
                Duration.ofSeconds(1), reported::add)).hasMessageContaining("failed to apply its identity");
        assertThat(reported).hasSize(2);
        assertThat(launcher.isLive("web-3")).isFalse();
    }

    @Test
    void a_pid_that_cannot_be_recorded_fails_the_launch_and_leaves_no_instance() {
        SimulatedLauncher launcher = new SimulatedLauncher();
        assertThatThrownBy(() -> launcher.launch(Specs.acL1("/x.cpio.gz"), pid -> {
            throw new IllegalStateException("db is read-only");
        })).hasMessage("db is read-only");
        assertThat(launcher.isLive("web")).isFalse();
    }
}
