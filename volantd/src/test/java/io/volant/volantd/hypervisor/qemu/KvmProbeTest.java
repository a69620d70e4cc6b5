package io.volant.volantd.hypervisor.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmProbeTest {
    @TempDir
    Path dir;

    private Path fakeQemu(String body) throws IOException {
        Path bin = dir.resolve("qemu-system-x86_64");
        Files.writeString(bin, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void a_qemu_that_quits_over_qmp_means_kvm_works() throws IOException {
        Path qemu = fakeQemu("echo '{\"QMP\": {}}'; cat >/dev/null; exit 0");
        assertThat(KvmProbe.failure(qemu)).isEmpty();
    }

    @Test
    void a_qemu_that_aborts_at_vcpu_setup_means_kvm_is_unusable_and_says_why() throws IOException {
        Path qemu = fakeQemu("echo '{\"QMP\": {}}'; echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2; "
                + "kill -ABRT $$");
        assertThat(KvmProbe.failure(qemu)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("kvm probe exited with status 134")
                .contains("failed to set MSR 0x10a"));
    }

    @Test
    void a_missing_binary_is_reported_not_thrown() {
        assertThat(KvmProbe.failure(dir.resolve("nope"))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("kvm probe could not run"));
    }
}
