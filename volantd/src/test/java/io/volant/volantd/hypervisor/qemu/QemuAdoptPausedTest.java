package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.testing.GuestFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of suspend (docs/control-plane.md "Suspend and resume"): a QEMU that volantd paused for a suspend and
 * then lost (volantd died between {@code stop} and {@code quit}) is continued when the next volantd adopts it. Real
 * QEMU, firmware only (no guest kernel needed to tell paused from running).
 */
@Tag("vm")
class QemuAdoptPausedTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void an_adopted_qemu_left_paused_by_an_interrupted_suspend_runs_again() throws Exception {
        GuestFixture.assumeVmHost();
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Path qmp = runtime.resolve("web.qmp");
        Process qemu = new ProcessBuilder(List.of("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "64",
                "-nodefaults", "-no-user-config", "-display", "none",
                "-chardev", "socket,id=qmp0,path=" + qmp + ",server=on,wait=off", "-mon", "chardev=qmp0,mode=control"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            try (QmpClient c = QmpClient.connect(qmp, Duration.ofSeconds(20), () -> !qemu.isAlive())) {
                QemuMigration m = new QemuMigration(c);
                m.stop(); // the first step of a suspend; volantd "dies" here
                assertThat(m.status()).isEqualTo("paused");
            }
            QemuLauncher launcher = new QemuLauncher(new QemuOptions("qemu-system-x86_64", "q35", false, false, false),
                    new HostEnv(runtime, dir.resolve("logs"), "", null, null));

            Instance adopted = launcher.adopt("web", qemu.pid()).orElseThrow();

            assertThat(new QemuMigration(((QemuLauncher.QemuInstance) adopted).qmp()).status()).isEqualTo("running");
            adopted.stop(Duration.ZERO);
            assertThat(qemu.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            qemu.destroyForcibly();
        }
    }
}
