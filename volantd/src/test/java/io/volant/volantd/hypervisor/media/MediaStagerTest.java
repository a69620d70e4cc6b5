package io.volant.volantd.hypervisor.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.volant.manifest.Checksums;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.testing.Specs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging rules of host-runtime.md §3.2-§3.5 (AC-L5, L6, L7, L11) and the cache. */
class MediaStagerTest {
    @TempDir
    Path dir;
    HttpServer http;
    final AtomicInteger downloads = new AtomicInteger();
    Path runtime;
    HostPaths paths;

    @BeforeEach
    void setUp() throws Exception {
        runtime = dir.resolve("run");
        paths = new HostPaths(runtime, dir.resolve("logs"), "web");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/initramfs");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        http.createContext("/initramfs", ex -> {
            downloads.incrementAndGet();
            byte[] b = "remote-initramfs".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        http.start();
    }

    @AfterEach
    void tearDown() {
        http.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private MediaStager stager(Path bz, Path vm) {
        return new MediaStager(new MediaSettings(bz, vm, null, null, null, null),
                new ArtifactStore(dir.resolve("cache"), List.of()));
    }

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private static LaunchSpec spec(String initramfs, String checksum, String rootfs) {
        LaunchSpec s = Specs.acL1(initramfs);
        return s.toBuilder().rootfs(rootfs).initramfs(initramfs).initramfsChecksum(checksum).build();
    }

    @Test
    void ac_l5_redirects_are_followed_and_a_404_names_url_and_status() throws Exception {
        Path bz = file("k/bzImage", "kernel");
        StagedMedia m = stager(bz, null).stage(spec(url("/moved"), "", ""), paths);

        assertThat(Files.readString(m.initramfs())).isEqualTo("remote-initramfs");
        assertThatThrownBy(() -> stager(bz, null).stage(spec(url("/missing"), "", ""), paths))
                .hasMessage("download " + url("/missing") + ": status 404 Not Found");
        assertNoPartFiles();
    }

    @Test
    void checksummed_downloads_are_cached_and_reused() throws Exception {
        Path bz = file("k/bzImage", "kernel");
        String sum = "sha256:" + Checksums.sha256Hex("remote-initramfs".getBytes(StandardCharsets.UTF_8));
        stager(bz, null).stage(spec(url("/initramfs"), sum, ""), paths);
        stager(bz, null).stage(spec(url("/initramfs"), sum, ""), paths);

        assertThat(downloads).hasValue(1);
        assertThat(dir.resolve("cache").resolve(sum.replace("sha256:", "sha256-"))).exists();
    }

    @Test
    void ac_l6_a_command_line_over_the_limit_is_refused() throws Exception {
        Path bz = file("k/bzImage", "not a bzImage header");
        LaunchSpec s = spec("", "", "");
        String base = "x".repeat(2048);
        LaunchSpec tooLong = s.toBuilder().kernelCmdline(base).args(java.util.Map.of()).initramfs("").build();

        assertThatThrownBy(() -> stager(bz, null).stage(tooLong, paths))
                .hasMessage("kernel command line too long (2048 > 2047 bytes)");
        try (Stream<Path> left = Files.list(runtime)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void ac_l7_only_the_vmlinux_present_is_used_and_none_fails() throws Exception {
        Path vm = file("k/vmlinux", "elf");
        Path missingBz = dir.resolve("k/bzImage");
        StagedMedia m = stager(missingBz, vm).stage(spec(file("i.cpio", "i").toString(), "", ""), paths);
        assertThat(m.kernel()).isEqualTo(runtime.resolve("web.vmlinux"));
        assertThat(Files.readString(m.kernel())).isEqualTo("elf");

        assertThatThrownBy(() -> stager(missingBz, dir.resolve("k/none")).stage(spec("", "", ""), paths))
                .hasMessage("no kernel image available (checked " + missingBz + ", " + dir.resolve("k/none") + ")");
    }

    @Test
    void ac_l11_a_device_as_rootfs_is_not_a_regular_file() throws Exception {
        Path bz = file("k/bzImage", "kernel");
        assertThatThrownBy(() -> stager(bz, null).stage(spec("", "", "/dev/null"), paths))
                .isInstanceOf(HypervisorException.class).hasMessage("artifact /dev/null is not a regular file");
    }

    @Test
    void rootfs_only_boot_with_a_kernel_without_embedded_initramfs_needs_the_base_initramfs() throws Exception {
        Path vm = file("k/vmlinux", "elf");
        Path rootfs = file("r.img", "ext4");
        assertThatThrownBy(() -> stager(null, vm).stage(spec("", "", rootfs.toString()), paths))
                .hasMessage("rootfs-only boot needs a kernel with an embedded base initramfs or VOLANT_BASE_INITRAMFS");

        Path base = file("base.cpio.gz", "BASE");
        Path modules = file("modules.cpio.gz", "MODS");
        MediaStager withBase = new MediaStager(new MediaSettings(null, vm, null, modules, base, null),
                new ArtifactStore(dir.resolve("cache"), List.of()));
        StagedMedia m = withBase.stage(spec("", "", "file://" + rootfs.toString().replace("r.img", "r%2Eimg")),
                paths);
        assertThat(Files.readString(m.initramfs())).isEqualTo("MODSBASE");
        assertThat(Files.readString(m.rootfs())).isEqualTo("ext4");
    }

    @Test
    void artifacts_outside_the_allowed_roots_are_refused() throws Exception {
        Path bz = file("k/bzImage", "kernel");
        Path ird = file("elsewhere/i.cpio", "i");
        MediaStager restricted = new MediaStager(new MediaSettings(bz, null, null, null, null, null),
                new ArtifactStore(dir.resolve("cache"), List.of(dir.resolve("allowed"))));
        assertThatThrownBy(() -> restricted.stage(spec(ird.toString(), "", ""), paths))
                .hasMessage("artifact " + ird + " outside allowed roots");
        assertThatThrownBy(() -> restricted.stage(spec("relative/i.cpio", "", ""), paths))
                .hasMessage("unsupported artifact location relative/i.cpio");
    }

    private void assertNoPartFiles() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }
}
