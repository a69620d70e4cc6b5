package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.testing.HostRequirements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.events.EventType;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.testing.Cmd;
import io.volant.volantd.testing.Engine;
import io.volant.volantd.testing.MutableClock;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.VmStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with the Cloud Hypervisor launcher over a fake {@code cloud-hypervisor} (in-memory network): a
 * hypervisor exiting 1 marks the VM {@code crashed} with {@code VM_CRASHED} (AC-L10), and a checksum mismatch rolls
 * the create back, releasing the tap and leaving no VM (AC-L4).
 */
class ChEngineTest {
    @TempDir
    Path dir;

    private ChLauncher launcher(String behaviour) throws Exception {
        Path bin = dir.resolve("bin/cloud-hypervisor");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, "#!/bin/bash\n" + behaviour + "\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kernel = dir.resolve("kernel/bzImage");
        Files.createDirectories(kernel.getParent());
        Files.write(kernel, new byte[4096]);
        Files.writeString(dir.resolve("plugin.cpio.gz"), "initramfs");
        MediaStager stager = new MediaStager(new MediaSettings(kernel, null, null, null, null, null),
                new ArtifactStore(dir.resolve("cache"), List.of()));
        return new ChLauncher(bin.toString(), new HostEnv(dir.resolve("run"), dir.resolve("logs"), "", stager, null));
    }

    private void install(Engine e, String checksum) {
        e.volantd.plugins().install(Engine.manifest("""
                {"schema_version":"1.0","name":"caddy","version":"0.1.0","runtime":"caddy",
                 "resources":{"cpu_cores":1,"memory_mb":128},
                 "initramfs":{"url":"%s"%s},
                 "workload":{"type":"http","base_url":"http://127.0.0.1:80","entrypoint":["/bin/caddy"]}}
                """.formatted(dir.resolve("plugin.cpio.gz"), checksum.isEmpty() ? "" : ",\"checksum\":\"" + checksum
                + "\"")));
    }

    @Test
    void ac_l10_a_hypervisor_exiting_1_marks_the_vm_crashed_with_an_event() throws Exception {
        HostRequirements.require(Cmd.available("setsid"), "needs setsid");
        try (Engine e = new Engine(dir.resolve("engine"), new MutableClock(), launcher("sleep 1; exit 1"))) {
            install(e, "");
            e.volantd.vms().create(CreateVmRequest.of("web", "caddy"));

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    e.volantd.vms().get("web").status() == VmStatus.CRASHED);
            VmEvent crashed = e.events().stream().filter(v -> v.type() == EventType.VM_CRASHED).findFirst()
                    .orElseThrow();
            assertThat(crashed.name()).isEqualTo("web");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (Stream<Path> s = Files.list(dir.resolve("run"))) {
                    assertThat(s.filter(Files::isRegularFile)).isEmpty();
                }
            });
        }
    }

    @Test
    void ac_l4_checksum_mismatch_rolls_back_the_create_and_releases_the_tap() throws Exception {
        try (Engine e = new Engine(dir.resolve("engine"), new MutableClock(), launcher("exit 0"))) {
            install(e, "sha256:" + "0".repeat(64));

            assertThatThrownBy(() -> e.volantd.vms().create(CreateVmRequest.of("web", "caddy")))
                    .hasMessageContaining("checksum mismatch: expected");
            assertThat(e.volantd.vms().find("web")).isEmpty();
            assertThat(e.network.taps()).isEmpty();
            try (Stream<Path> s = Files.walk(dir.resolve("run"))) {
                assertThat(s.filter(Files::isRegularFile)).isEmpty();
            }
        }
    }
}
