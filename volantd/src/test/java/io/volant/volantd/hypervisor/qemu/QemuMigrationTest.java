package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QemuMigration} against a real QEMU (TCG, firmware only, no guest kernel: the device state is what is
 * saved and restored): a shared-RAM VM saved with {@code x-ignore-shared} writes only its device state, a clone
 * mapping the same RAM file privately restores from it and runs; bad state fails with QEMU's reason.
 */
@Tag("vm")
class QemuMigrationTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killQemus() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void a_paused_shared_ram_vm_saves_device_state_only_and_a_private_clone_resumes_from_it() throws Exception {
        Path ram = dir.resolve("tpl.ram");
        Path state = dir.resolve("tpl.state");
        Path qmp = dir.resolve("t.qmp");
        Process template = qemu(ram, true, qmp);
        try (QmpClient c = QmpClient.connect(qmp, Duration.ofSeconds(20), () -> !template.isAlive())) {
            QemuMigration m = new QemuMigration(c);
            m.setCapabilities(Map.of(QemuMigration.IGNORE_SHARED, true));
            m.stop();
            assertThat(m.status()).isEqualTo("paused");
            m.saveTo(state, Duration.ofSeconds(60));
        }
        // 64 MiB of RAM were not written: the state is device state only.
        assertThat(Files.size(state)).isPositive().isLessThan(8L << 20);
        template.destroy();
        template.waitFor(30, TimeUnit.SECONDS);

        Path cq = dir.resolve("c.qmp");
        Process clone = qemu(ram, false, cq, "-incoming", "defer");
        try (QmpClient c = QmpClient.connect(cq, Duration.ofSeconds(20), () -> !clone.isAlive())) {
            QemuMigration m = new QemuMigration(c);
            m.setCapabilities(Map.of(QemuMigration.IGNORE_SHARED, true));
            assertThat(m.status()).isEqualTo("inmigrate");
            m.restoreFrom(state, Duration.ofSeconds(60));
            m.cont();
            assertThat(m.status()).isEqualTo("running");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void restoring_garbage_state_fails_with_a_reason() throws Exception {
        Path ram = dir.resolve("x.ram");
        Path state = dir.resolve("it's garbage.state");
        Files.write(state, "not a migration stream".getBytes());
        Path cq = dir.resolve("c.qmp");
        Process clone = qemu(ram, false, cq, "-incoming", "defer");
        try (QmpClient c = QmpClient.connect(cq, Duration.ofSeconds(20), () -> !clone.isAlive())) {
            QemuMigration m = new QemuMigration(c);
            assertThatThrownBy(() -> m.restoreFrom(state, Duration.ofSeconds(60)))
                    .isInstanceOf(HypervisorException.class).hasMessageContaining("qemu");
        }
    }

    @Test
    void file_names_are_quoted_for_the_shell() {
        assertThat(QemuMigration.shellQuote(Path.of("/run/a b/it's"))).isEqualTo("'/run/a b/it'\\''s'");
    }

    private Process qemu(Path ram, boolean share, Path qmp, String... extra) throws IOException {
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35,memory-backend=mem",
                "-accel", "tcg", "-m", "64", "-object", "memory-backend-file,id=mem,size=64M,mem-path=" + ram
                        + ",share=" + (share ? "on" : "off"),
                "-nodefaults", "-no-user-config", "-display", "none",
                "-chardev", "socket,id=qmp0,path=" + qmp + ",server=on,wait=off", "-mon", "chardev=qmp0,mode=control"));
        argv.addAll(List.of(extra));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(qmp.getFileName() + ".log").toFile()).start();
        started.add(p);
        return p;
    }
}
