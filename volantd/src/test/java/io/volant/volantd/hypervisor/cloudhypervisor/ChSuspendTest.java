package io.volant.volantd.hypervisor.cloudhypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.ArtifactStore;
import io.volant.volantd.hypervisor.media.MediaSettings;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.process.HostEnv;
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
 * Cloud Hypervisor suspend/resume against a fake {@code cloud-hypervisor}: socat answers every API request 204 (or
 * 500 when a knob file exists), records request line and body, and writes the snapshot files {@code vm.snapshot}
 * names; argv and API calls are asserted (docs/control-plane.md "Suspend and resume").
 */
class ChSuspendTest {
    @TempDir
    Path dir;
    Path runtime;
    Path kernel;
    Path rootfs;
    Path state;

    @BeforeEach
    void setUp() throws Exception {
        runtime = dir.resolve("run");
        kernel = dir.resolve("kernel/bzImage");
        Files.createDirectories(kernel.getParent());
        Files.write(kernel, new byte[4096]);
        rootfs = dir.resolve("rootfs.img");
        Files.writeString(rootfs, "pristine rootfs");
        state = Files.createDirectories(dir.resolve("suspended/web"));
        Path handler = dir.resolve("handler");
        Files.writeString(handler, """
                #!/bin/bash
                read -r line; line=${line%%$'\\r'}
                len=0
                while read -r h; do h=${h%%$'\\r'}; [ -z "$h" ] && break
                  case "$h" in Content-Length:*) len=${h#Content-Length: } ;; esac; done
                body=""; [ "$len" -gt 0 ] && body=$(head -c "$len")
                echo "$line $body" >> '%1$s/requests'
                action=${line#PUT /api/v1/}; action=${action%% *}
                if [ -e "%1$s/fail-$action" ]; then printf 'HTTP/1.1 500 Internal Server Error\\r\\n\\r\\n'; exit 0; fi
                if [ "$action" = vm.snapshot ]; then
                  d=$(echo "$body" | sed 's|.*file://\\([^"]*\\)".*|\\1|')
                  for f in config.json state.json memory-ranges; do echo "$f of web" > "$d/$f"; done
                fi
                printf 'HTTP/1.1 204 No Content\\r\\n\\r\\n'
                """.formatted(dir));
        Path bin = dir.resolve("cloud-hypervisor");
        Files.writeString(bin, """
                #!/bin/bash
                printf '%%s\\n' "$@" >> '%1$s/argv'
                echo --- >> '%1$s/argv'
                while [ $# -gt 0 ]; do case "$1" in --api-socket) sock=${2#path=}; shift ;; esac; shift; done
                exec socat UNIX-LISTEN:"$sock",fork EXEC:'%1$s/handler'
                """.formatted(dir));
        for (Path p : List.of(handler, bin)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private ChLauncher launcher() {
        MediaStager stager = new MediaStager(new MediaSettings(kernel, dir.resolve("kernel/vmlinux"), null, null,
                null), new ArtifactStore(dir.resolve("cache"), List.of()));
        return new ChLauncher(dir.resolve("cloud-hypervisor").toString(),
                new HostEnv(runtime, dir.resolve("logs"), "", stager, null));
    }

    private LaunchSpec spec() {
        return Specs.with(Specs.acL1(""), "vttap-web", rootfs.toString(), List.of(), null, List.of(),
                Specs.args("rootfs", true));
    }

    private Instance started(ChLauncher l) throws Exception {
        Instance vm = l.launch(spec());
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(runtime.resolve("web.sock")));
        return vm;
    }

    private List<String> requests() throws Exception {
        Path f = dir.resolve("requests");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void suspend_pauses_snapshots_into_the_state_dir_saves_the_rootfs_copy_and_ends_the_process() throws Exception {
        Instance vm = started(launcher());
        Files.writeString(runtime.resolve("web.rootfs"), "rootfs written by the guest");

        vm.suspend(state);

        Path snapshot = state.resolve("ch-snapshot");
        assertThat(requests()).containsExactly("PUT /api/v1/vm.pause HTTP/1.1 ",
                "PUT /api/v1/vm.snapshot HTTP/1.1 {\"destination_url\":\"file://" + snapshot + "\"}");
        assertThat(snapshot.resolve("config.json")).hasContent("config.json of web");
        assertThat(state.resolve("web.rootfs")).hasContent("rootfs written by the guest");
        assertThat(vm.exit().get(20, TimeUnit.SECONDS).requested()).isTrue();
        assertThat(ProcessHandle.of(vm.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertNoRuntimeFilesLeft();
    }

    @Test
    void resume_restores_from_the_snapshot_with_the_saved_disks_and_sends_vm_resume() throws Exception {
        Instance first = started(launcher());
        Files.writeString(runtime.resolve("web.rootfs"), "rootfs written by the guest");
        first.suspend(state);
        Files.delete(dir.resolve("requests"));

        Instance resumed = launcher().restore(spec(), state);

        String r = runtime.toString();
        List<String> argv = Files.readAllLines(dir.resolve("argv"));
        List<String> last = argv.subList(argv.subList(0, argv.size() - 1).lastIndexOf("---") + 1, argv.size() - 1);
        assertThat(last).containsExactly(
                "--api-socket", "path=" + r + "/web.sock", "--restore",
                "source_url=file://" + state.resolve("ch-snapshot"));
        assertThat(requests()).last().isEqualTo("PUT /api/v1/vm.resume HTTP/1.1 ");
        assertThat(runtime.resolve("web.rootfs")).hasContent("rootfs written by the guest");
        assertThat(resumed.exit()).isNotDone();
        resumed.stop(Duration.ZERO);
        assertNoRuntimeFilesLeft();
    }

    @Test
    void a_failed_snapshot_resumes_the_guest_and_keeps_the_process() throws Exception {
        Instance vm = started(launcher());
        Files.writeString(dir.resolve("fail-vm.snapshot"), "");

        assertThatThrownBy(() -> vm.suspend(state)).isInstanceOf(HypervisorException.class)
                .hasMessage("cloudhypervisor: suspend vm web: cloudhypervisor: vm.snapshot: status 500");

        assertThat(requests()).extracting(l -> l.split(" ")[1]).containsExactly("/api/v1/vm.pause",
                "/api/v1/vm.snapshot", "/api/v1/vm.resume");
        assertThat(vm.exit()).isNotDone();
        vm.stop(Duration.ZERO);
    }

    @Test
    void resume_without_a_snapshot_fails_before_starting_anything() {
        assertThatThrownBy(() -> launcher().restore(spec(), state)).isInstanceOf(HypervisorException.class)
                .hasMessage("cloudhypervisor: resume vm web: snapshot missing: "
                        + state.resolve("ch-snapshot/config.json"));
        assertThat(dir.resolve("argv")).doesNotExist();
    }

    @Test
    void a_restore_whose_resume_is_refused_is_stopped_and_leaves_nothing() throws Exception {
        started(launcher()).suspend(state);
        Files.writeString(dir.resolve("fail-vm.resume"), "");

        assertThatThrownBy(() -> launcher().restore(spec(), state)).isInstanceOf(HypervisorException.class)
                .hasMessage("cloudhypervisor: resume vm web: vm.resume: status 500");
        assertNoRuntimeFilesLeft();
        assertThat(state.resolve("ch-snapshot/config.json")).exists();
    }

    private void assertNoRuntimeFilesLeft() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> s = Files.list(runtime)) {
                assertThat(s.map(p -> p.getFileName().toString())).isEmpty();
            }
        });
    }
}
