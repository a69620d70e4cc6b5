package io.volant.volantd.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend and accelerator selection of host-runtime.md §9.1 (AC-Q2). */
class BackendsTest {
    @TempDir
    Path dir;

    private VolantdConfig config(String backend, String accel) {
        Map<String, String> env = new HashMap<>();
        env.put("VOLANT_DB_PATH", dir.resolve("db").toString());
        env.put("VOLANT_RUNTIME_DIR", dir.resolve("run").toString());
        env.put("VOLANT_LOG_DIR", dir.resolve("logs").toString());
        env.put("VOLANT_RUNTIME_BACKEND", backend);
        env.put("VOLANT_QEMU_ACCEL", accel);
        env.put("VOLANT_GUEST_KERNEL", "/nonexistent/vmlinuz");
        return ConfigLoader.load(env, dir.toString(), false);
    }

    private static final Optional<Path> CH = Optional.of(Path.of("/usr/bin/cloud-hypervisor"));
    private static final Optional<Path> QEMU = Optional.of(Path.of("/usr/bin/qemu-system-x86_64"));

    @Test
    void ac_q2_auto_without_kvm_selects_qemu_with_tcg() {
        Backends.Selection s = Backends.select(config("auto", "auto"), false, CH, QEMU);
        assertThat(s).isEqualTo(new Backends.Selection("qemu", "tcg", "/usr/bin/qemu-system-x86_64"));
    }

    @Test
    void auto_with_kvm_and_cloud_hypervisor_selects_cloud_hypervisor() {
        assertThat(Backends.select(config("auto", "auto"), true, CH, QEMU).backend()).isEqualTo("cloud-hypervisor");
        assertThat(Backends.select(config("auto", "auto"), true, Optional.empty(), QEMU))
                .isEqualTo(new Backends.Selection("qemu", "kvm", "/usr/bin/qemu-system-x86_64"));
    }

    @Test
    void auto_without_any_hypervisor_fails_naming_both() {
        assertThatThrownBy(() -> Backends.select(config("auto", "auto"), false, Optional.empty(), Optional.empty()))
                .hasMessage("no usable hypervisor: cloud-hypervisor needs /dev/kvm and cloud-hypervisor; "
                        + "qemu binary qemu-system-x86_64 not found");
    }

    @Test
    void explicit_cloud_hypervisor_without_kvm_fails() {
        assertThatThrownBy(() -> Backends.select(config("cloud-hypervisor", "auto"), false, CH, QEMU))
                .hasMessage("cloud-hypervisor backend requires /dev/kvm");
    }

    @Test
    void explicit_tcg_is_kept_even_with_kvm_and_explicit_kvm_without_it_fails() {
        assertThat(Backends.select(config("qemu", "tcg"), true, CH, QEMU).accel()).isEqualTo("tcg");
        assertThatThrownBy(() -> Backends.select(config("qemu", "kvm"), false, CH, QEMU))
                .hasMessageContaining("requires /dev/kvm");
    }
}
