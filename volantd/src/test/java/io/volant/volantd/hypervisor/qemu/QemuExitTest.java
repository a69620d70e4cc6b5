package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.hypervisor.ExitResult;
import org.junit.jupiter.api.Test;

/** Exit classification of host-runtime.md §9.4 (the decision half of AC-Q4), and AC-Q6. */
class QemuExitTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void ac_q6_vsock_mode_without_a_vsock_transport_is_refused_and_ip_less_agents_have_no_transport() {
        QemuLauncher tcg = new QemuLauncher(new QemuOptions("qemu-system-x86_64", "q35", false, false, false),
                new io.volant.volantd.hypervisor.process.HostEnv(dir.resolve("run"), dir.resolve("logs"), "",
                        null, null));
        io.volant.volantd.hypervisor.LaunchSpec s = io.volant.volantd.testing.Specs.with(
                io.volant.volantd.testing.Specs.acL1(""), "", "", java.util.List.of(), null, java.util.List.of(),
                java.util.Map.of());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tcg.launch(s))
                .hasMessage("network mode vsock is not supported by the qemu backend");
        assertThat(dir.resolve("run")).doesNotExist();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tcg.agentTransport("web", ""))
                .hasMessage("agent unreachable: no transport for vm web");
        assertThat(tcg.agentTransport("web", "10.0.0.2").describe()).isEqualTo("10.0.0.2");
    }

    @Test
    void guest_shutdown_qmp_quit_and_host_signal_are_clean() {
        assertThat(QemuLauncher.classify(0, "guest-shutdown").crashed()).isFalse();
        assertThat(QemuLauncher.classify(0, "host-qmp-quit").crashed()).isFalse();
        assertThat(QemuLauncher.classify(0, "host-signal").crashed()).isFalse();
    }

    @Test
    void guest_reset_panic_missing_event_and_nonzero_status_are_crashes() {
        assertThat(QemuLauncher.classify(0, "guest-reset").crashed()).isTrue();
        assertThat(QemuLauncher.classify(0, "guest-panic").crashed()).isTrue();
        assertThat(QemuLauncher.classify(0, null).crashed()).isTrue();
        assertThat(QemuLauncher.classify(1, "guest-shutdown")).isEqualTo(ExitResult.code(1));
        assertThat(QemuLauncher.classify(137, null).message()).isEqualTo("signal: killed");
    }
}
