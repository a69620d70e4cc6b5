package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.testing.HostRequirements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.manifest.Checksums;
import io.volant.volantd.hypervisor.ExitResult;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.testing.Cmd;
import io.volant.volantd.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Hypervisor launcher against a fake {@code cloud-hypervisor}: a shell script that records its argv and
 * answers the API socket with socat (host-runtime.md §10 AC-L1, L4, L9, L10).
 */
class ChLauncherTest {
    @TempDir
    Path dir;
    Path runtime;
    Path kernel;
    Path initramfs;

    @BeforeEach
    void setUp() throws Exception {
        HostRequirements.require(Cmd.available("socat") && Cmd.available("setsid"), "needs socat and setsid");
        runtime = dir.resolve("run");
        kernel = dir.resolve("kernel/bzImage");
        Files.createDirectories(kernel.getParent());
        Files.write(kernel, new byte[4096]);
        initramfs = dir.resolve("plugin.cpio.gz");
        Files.writeString(initramfs, "plugin-initramfs");
    }

    private Path fake(String behaviour) throws Exception {
        Path bin = dir.resolve("cloud-hypervisor");
        Files.writeString(bin, """
                #!/bin/bash
                printf '%%s\\n' "$@" > '%1$s/argv'
                while [ $# -gt 0 ]; do case "$1" in --api-socket) sock=${2#path=}; shift ;; esac; shift; done
                answer() { socat UNIX-LISTEN:"$sock" SYSTEM:'read l; echo "$l" >> %1$s/requests; printf "HTTP/1.1 204 No Content\\r\\n\\r\\n"'; }
                %2$s
                """.formatted(dir, behaviour));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private ChLauncher launcher(Path bin) {
        return launcher(bin, null);
    }

    private ChLauncher launcher(Path bin, Path agentImage) {
        MediaStager stager = new MediaStager(new MediaSettings(kernel, dir.resolve("kernel/vmlinux"), null, null,
                null, agentImage), new ArtifactStore(dir.resolve("cache"), List.of()));
        return new ChLauncher(bin.toString(), new HostEnv(runtime, dir.resolve("logs"), "", stager, null));
    }

    private List<String> recordedArgv() throws Exception {
        Path f = dir.resolve("argv");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(f) && Files.size(f) > 0);
        return Files.readAllLines(f);
    }

    @Test
    void launch_passes_the_exact_argv_and_a_graceful_stop_uses_the_power_button() throws Exception {
        Path bin = fake("answer; exit 0");
        Instance vm = launcher(bin).launch(Specs.acL1(initramfs.toString()));
        String r = runtime.toString();

        assertThat(recordedArgv()).containsExactly("--api-socket", "path=" + r + "/web.sock", "--cpus", "boot=1",
                "--memory", "size=512M", "--kernel", r + "/web.vmlinux", "--serial", "socket=" + r + "/web.serial",
                "--console", "off", "--net", "tap=vttap-web,mac=02:f9:e8:54:fb:c4", "--vsock",
                "cid=3,socket=" + r + "/web.vsock", "--initramfs", r + "/web.initramfs", "--cmdline",
                "console=ttyS0 reboot=k panic=1 quiet loglevel=1 i8042.noaux i8042.nokbd pci=lastbus=0 "
                        + "ip=192.168.127.10::192.168.127.1:255.255.255.0:web:eth0:off volant.api_host=192.168.127.1 "
                        + "volant.api_port=7777 volant.boot=initramfs volant.manifest=" + Specs.MANIFEST
                        + " volant.plugin=caddy volant.runtime=caddy");
        assertThat(Files.readString(runtime.resolve("web.initramfs"))).isEqualTo("plugin-initramfs");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(runtime.resolve("web.sock")));

        vm.stop(Duration.ofSeconds(20));

        assertThat(Files.readString(dir.resolve("requests"))).startsWith("PUT /api/v1/vm.power-button HTTP/1.1");
        ExitResult exit = vm.exit().get(10, TimeUnit.SECONDS);
        assertThat(exit.requested()).isTrue();
        assertThat(exit.crashed()).isFalse();
        assertNoRuntimeFilesLeft();
    }

    @Test
    void the_agent_image_is_the_last_disk_read_only_with_its_serial_and_outlives_the_vm() throws Exception {
        Path agent = Files.writeString(dir.resolve("agent-bundle.img"), "hsqs agent");
        Instance vm = launcher(fake("exit 0"), agent).launch(Specs.acL1(initramfs.toString()));

        List<String> argv = recordedArgv();
        assertThat(argv.subList(argv.size() - 4, argv.size() - 2)).containsExactly("--disk",
                "path=" + agent + ",readonly=true,serial=volant-agent");
        vm.exit().get(10, TimeUnit.SECONDS);
        assertThat(agent).as("shared by every VM: never a VM's file").hasContent("hsqs agent");
        assertNoRuntimeFilesLeft();
    }

    @Test
    void a_hypervisor_ignoring_sigterm_is_killed_after_grace_and_terminate_wait() throws Exception {
        Path bin = fake("trap '' TERM; answer; exec sleep 1000");
        Instance vm = launcher(bin).launch(Specs.acL1(initramfs.toString()));
        recordedArgv();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(runtime.resolve("web.sock")));

        vm.stop(Duration.ofSeconds(1));

        assertThat(Files.readString(dir.resolve("requests"))).startsWith("PUT /api/v1/vm.power-button");
        assertThat(ProcessHandle.of(vm.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(vm.exit().get(10, TimeUnit.SECONDS).crashed()).isFalse();
        assertNoRuntimeFilesLeft();
    }

    @Test
    void a_hypervisor_exiting_1_on_its_own_is_crashed_and_its_files_are_removed() throws Exception {
        Instance vm = launcher(fake("exit 1")).launch(Specs.acL1(initramfs.toString()));

        ExitResult exit = vm.exit().get(20, TimeUnit.SECONDS);
        assertThat(exit.crashed()).isTrue();
        assertThat(exit.message()).isEqualTo("exit status 1");
        assertNoRuntimeFilesLeft();
    }

    @Test
    void a_hypervisor_exiting_0_on_its_own_is_stopped() throws Exception {
        Instance vm = launcher(fake("exit 0")).launch(Specs.acL1(initramfs.toString()));

        ExitResult exit = vm.exit().get(20, TimeUnit.SECONDS);
        assertThat(exit.crashed()).isFalse();
        assertThat(exit.requested()).isFalse();
    }

    @Test
    void initramfs_checksum_mismatch_fails_the_launch_and_leaves_no_staged_file() throws Exception {
        Path bin = fake("exit 0");
        LaunchSpec base = Specs.acL1(initramfs.toString());
        LaunchSpec spec = base.toBuilder().initramfsChecksum("sha256:" + Checksums.sha256Hex(new byte[] {1})).build();

        assertThatThrownBy(() -> launcher(bin).launch(spec)).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("checksum mismatch: expected");
        assertThat(dir.resolve("argv")).doesNotExist();
        assertNoRuntimeFilesLeft();
    }

    @Test
    void a_surviving_hypervisor_is_adopted_by_a_new_launcher_and_stopped_through_its_api() throws Exception {
        Path bin = fake("answer; exit 0");
        Instance first = launcher(bin).launch(Specs.acL1(initramfs.toString()));
        recordedArgv();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(runtime.resolve("web.sock")));

        ChLauncher restarted = launcher(bin);
        assertThat(restarted.adopt("other", first.pid())).isEmpty();
        Instance adopted = restarted.adopt("web", first.pid()).orElseThrow();
        adopted.stop(Duration.ofSeconds(20));

        assertThat(Files.readString(dir.resolve("requests"))).startsWith("PUT /api/v1/vm.power-button");
        assertThat(adopted.exit().get(10, TimeUnit.SECONDS).crashed()).isFalse();
        assertNoRuntimeFilesLeft();
    }

    @Test
    void ac_l8_a_name_making_the_serial_path_too_long_is_refused_before_anything_is_created() throws Exception {
        Path bin = fake("exit 0");
        LaunchSpec base = Specs.acL1(initramfs.toString());
        String name = "w".repeat(120);
        LaunchSpec spec = base.toBuilder().name(name).serialSocket(runtime.resolve(name + ".serial").toString()).build();

        assertThatThrownBy(() -> launcher(bin).launch(spec)).hasMessageStartingWith("socket path too long (");
        assertThat(runtime).doesNotExist();
        assertThat(dir.resolve("argv")).doesNotExist();
    }

    private void assertNoRuntimeFilesLeft() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> s = Files.list(runtime)) {
                assertThat(s.map(p -> p.getFileName().toString())).isEmpty();
            }
        });
    }

    /** Issue 14 item 8: the pid is reported while the process runs, and a failing report kills the process. */
    @Test
    void the_pid_is_reported_as_soon_as_the_process_exists_and_a_failed_report_kills_it() throws Exception {
        Path bin = fake("trap '' TERM; answer; exec sleep 1000");
        List<Long> reported = new java.util.ArrayList<>();
        List<Boolean> aliveWhenReported = new java.util.ArrayList<>();
        Instance vm = launcher(bin).launch(Specs.acL1(initramfs.toString()), pid -> {
            reported.add(pid);
            aliveWhenReported.add(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        });
        try {
            assertThat(reported).containsExactly(vm.pid());
            assertThat(aliveWhenReported).containsExactly(true);
        } finally {
            vm.stop(Duration.ZERO);
        }

        long[] doomed = new long[1];
        assertThatThrownBy(() -> launcher(bin).launch(Specs.acL1(initramfs.toString()), pid -> {
            doomed[0] = pid;
            throw new IllegalStateException("db: read-only");
        })).hasMessage("db: read-only");
        assertThat(doomed[0]).isPositive();
        assertThat(ProcessHandle.of(doomed[0]).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(runtime.resolve("web.sock")).doesNotExist();
    }
}
