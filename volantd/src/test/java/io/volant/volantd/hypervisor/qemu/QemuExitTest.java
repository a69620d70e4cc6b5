package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.hypervisor.ExitResult;
import org.junit.jupiter.api.Test;

/** Exit classification of host-runtime.md §9.4 (the decision half of AC-Q4). */
class QemuExitTest {
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
