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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud Hypervisor suspend/resume against {@link FakeCloudHypervisor}: argv, API calls and bodies, snapshot and
 * disk files are asserted (docs/control-plane.md "Suspend and resume").
 */
class ChSuspendTest {
    @TempDir
    Path dir;
    Path runtime;
    Path kernel;
    Path rootfs;
    Path state;
    FakeCloudHypervisor ch;

    @BeforeEach
    void setUp() throws Exception {
        runtime = dir.resolve("run");
        kernel = dir.resolve("kernel/bzImage");
        Files.createDirectories(kernel.getParent());
        Files.write(kernel, new byte[4096]);
        rootfs = dir.resolve("rootfs.img");
        Files.writeString(rootfs, "pristine rootfs");
        state = Files.createDirectories(dir.resolve("suspended/web"));
        ch = new FakeCloudHypervisor(dir);
    }

    private ChLauncher launcher() {
        MediaStager stager = new MediaStager(new MediaSettings(kernel, dir.resolve("kernel/vmlinux"), null, null,
                null, null), new ArtifactStore(dir.resolve("cache"), List.of()));
        return new ChLauncher(ch.bin().toString(),
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

    @Test
    void suspend_pauses_snapshots_into_the_state_dir_saves_the_rootfs_copy_and_ends_the_process() throws Exception {
        Instance vm = started(launcher());
        Files.writeString(runtime.resolve("web.rootfs"), "rootfs written by the guest");

        vm.suspend(state);

        Path snapshot = state.resolve("ch-snapshot");
        assertThat(ch.requests()).containsExactly("PUT /api/v1/vm.pause HTTP/1.1 ",
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
        ch.forgetRequests();

        Instance resumed = launcher().restore(spec(), state);

        String r = runtime.toString();
        assertThat(ch.runs().getLast()).containsExactly(
                "--api-socket", "path=" + r + "/web.sock", "--restore",
                "source_url=file://" + state.resolve("ch-snapshot"));
        assertThat(ch.requests()).last().isEqualTo("PUT /api/v1/vm.resume HTTP/1.1 ");
        assertThat(runtime.resolve("web.rootfs")).hasContent("rootfs written by the guest");
        assertThat(resumed.exit()).isNotDone();
        resumed.stop(Duration.ZERO);
        assertNoRuntimeFilesLeft();
    }

    @Test
    void a_failed_snapshot_resumes_the_guest_and_keeps_the_process() throws Exception {
        Instance vm = started(launcher());
        ch.fail("vm.snapshot");

        assertThatThrownBy(() -> vm.suspend(state)).isInstanceOf(HypervisorException.class)
                .hasMessage("cloudhypervisor: suspend vm web: cloudhypervisor: vm.snapshot: status 500");

        assertThat(ch.requests()).extracting(l -> l.split(" ")[1]).containsExactly("/api/v1/vm.pause",
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
        ch.fail("vm.resume");

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
