package io.volant.fledge.oci;

import static io.volant.fledge.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.testing.FakeRunner;
import io.volant.fledge.testing.Fixtures;
import io.volant.manifest.Checksums;
import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI rootfs builds through the CLI from local layouts/archives (no registry), with real mksquashfs/mkfs.ext4. */
class RootfsBuildTest {
    @TempDir Path dir;
    Path tempRoot;
    Fixtures.Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        tempRoot = dir.resolve("tmp");
        Files.createDirectories(tempRoot);
        LayerUnpackerTest.image().write(dir.resolve("proj/webimage"), "latest");
        write(dir.resolve("proj/conf/site.conf"), "listen 8080\n");
        cli = new Fixtures.Cli(dir, tempRoot);
    }

    void config(String fs, String image) throws Exception {
        write(dir.resolve("proj/fledge.toml"), """
                version = "1"
                strategy = "oci_rootfs"
                [source]
                image = "%s"
                [filesystem]
                %s
                [mappings]
                "conf/site.conf" = "/etc/site.conf"
                """.formatted(image, fs));
    }

    String run(String cmd, String... args) throws Exception {
        Process p = new ProcessBuilder(List.of(args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(cmd + ": " + out).isZero();
        return out;
    }

    @Test
    void squashfs_from_an_oci_layout_keeps_owners_and_is_reproducible() throws Exception {
        config("type = \"squashfs\"", "oci:webimage:latest");
        assertThat(cli.run("build", "-c", "proj/fledge.toml")).as(cli.err()).isZero();
        Path img = dir.resolve("webimage.squashfs");
        assertThat(img).exists();
        String listing = run("unsquashfs", "unsquashfs", "-lln", img.toString());
        assertThat(listing).containsPattern("-rwsr-xr-x 1000/1001 .* squashfs-root/usr/bin/app")
                .contains("squashfs-root/etc/site.conf").contains("squashfs-root/etc/fsify-entrypoint")
                .containsPattern("crw-rw-rw- 0/0 .*squashfs-root/dev/zero")
                .doesNotContain("squashfs-root/etc/a\n");
        String first = Checksums.sha256Hex(img);
        assertThat(cli.run("build", "-c", "proj/fledge.toml", "-o", "again.img")).isZero();
        assertThat(Checksums.sha256Hex(dir.resolve("again.squashfs"))).isEqualTo(first);
        assertThat(tempRoot).isEmptyDirectory();

        Manifest m = Manifests.parse(Files.readAllBytes(dir.resolve("webimage.squashfs.manifest.json")));
        Manifests.validate(Manifests.normalize(m));
        assertThat(m.rootfs().format()).isEqualTo("squashfs");
        assertThat(m.rootfs().url()).isEqualTo(img.toUri().toString());
        assertThat(m.workload().entrypoint()).containsExactly("/usr/bin/app", "--serve");
        assertThat(m.workload().baseUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(m.workload().workdir()).isEqualTo("/srv");
        assertThat(m.workload().env()).containsEntry("MODE", "prod");
        assertThat(m.imageDigest()).startsWith("sha256:");
    }

    @Test
    void ext4_from_an_oci_archive_preserves_owners_modes_and_hard_links_and_is_reproducible() throws Exception {
        Path layout = dir.resolve("proj/webimage");
        run("tar", "tar", "-C", layout.toString(), "-cf", dir.resolve("proj/web.tar").toString(), ".");
        config("type = \"ext4\"\nsize_buffer_mb = 8", "oci-archive:web.tar");
        assertThat(cli.run("build", "-c", "proj/fledge.toml", "-o", "out/a.img")).as(cli.err()).isZero();
        Path img = dir.resolve("out/a.img");
        String stat = run("debugfs", "debugfs", "-R", "stat /usr/bin/app", img.toString());
        assertThat(stat).containsPattern("User: +1000 +Group: +1001").contains("Mode:  04755").contains("Links: 2");
        String key = run("debugfs", "debugfs", "-R", "stat /secret", img.toString());
        assertThat(key).contains("Mode:  0700");
        String attrs = run("debugfs", "debugfs", "-R", "ea_list /usr/bin/app", img.toString());
        assertThat(attrs).contains("user.note");
        assertThat(cli.run("build", "-c", "proj/fledge.toml", "-o", "out/b.img")).isZero();
        assertThat(Checksums.sha256Hex(dir.resolve("out/b.img"))).isEqualTo(Checksums.sha256Hex(img));
        Manifest m = Manifests.parse(Files.readAllBytes(dir.resolve("out/a.img.manifest.json")));
        assertThat(m.rootfs().format()).isEqualTo("ext4");
        assertThat(tempRoot).isEmptyDirectory();
    }

    @Test
    void a_docker_archive_goes_through_skopeo() throws Exception {
        run("skopeo", "skopeo", "copy", "--quiet", "oci:" + dir.resolve("proj/webimage") + ":latest",
                "docker-archive:" + dir.resolve("proj/web-docker.tar") + ":web:1");
        config("type = \"squashfs\"", "docker-archive:web-docker.tar");
        assertThat(cli.run("build", "-c", "proj/fledge.toml")).as(cli.err()).isZero();
        assertThat(run("unsquashfs", "unsquashfs", "-lln", dir.resolve("web-docker.squashfs").toString()))
                .contains("squashfs-root/usr/bin/app");
    }

    @Test
    void a_dockerfile_without_any_installed_builder_is_a_clear_error() throws Exception {
        write(dir.resolve("proj/Dockerfile"), "FROM scratch\n");
        FakeRunner runner = new FakeRunner();
        runner.hidden.addAll(List.of("buildah", "podman", "docker"));
        Fixtures.Cli c = new Fixtures.Cli(dir, tempRoot);
        c.runners = runner::create;
        assertThat(c.run("build", "proj/Dockerfile")).isEqualTo(1);
        assertThat(c.err()).contains("Error: " + DockerfileBuilder.NO_BUILDER);
        assertThat(tempRoot).isEmptyDirectory();
    }

    @Test
    void an_interrupted_build_stops_its_tools_and_leaves_the_temp_root_empty() throws Exception {
        config("type = \"squashfs\"", "oci:webimage");
        FakeRunner runner = new FakeRunner();
        runner.blockOn = "mksquashfs";
        Fixtures.Cli c = new Fixtures.Cli(dir, tempRoot);
        c.runners = runner::create;
        CompletableFuture<Integer> build = CompletableFuture.supplyAsync(() -> c.run("build", "-c", "proj/fledge.toml"));
        assertThat(runner.blocked.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tempRoot).isNotEmptyDirectory();
        runner.temps.get().abort(); // what the SIGINT/SIGTERM shutdown hook runs
        assertThat(build.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(c.err()).contains("Error: build interrupted");
        assertThat(tempRoot).isEmptyDirectory();
        assertThat(dir.resolve("webimage.squashfs")).doesNotExist();
    }
}
