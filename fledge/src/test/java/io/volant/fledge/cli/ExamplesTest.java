package io.volant.fledge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.testing.Fixtures;
import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped examples build and their generated manifests validate with the shared library. Uses the host's
 * Debian busybox-static and FAKE init/agent fixtures (booting them is the e2e phase's job).
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    @TempDir Path dir;
    Fixtures.Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        cli = new Fixtures.Cli(dir, dir.resolve("tmp"));
        cli.vars.put("FLEDGE_INIT_BINARY", Fixtures.fakeInit(dir).toString());
        cli.vars.put("FLEDGE_AGENT_BUNDLE", Fixtures.fakeBundle(dir).toString());
    }

    /** Copies an example so building it (and its image layout) never writes into the source tree. */
    Path copy(String name) throws Exception {
        Path src = EXAMPLES.resolve(name);
        Path dst = dir.resolve("examples").resolve(name);
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.toString().contains("image-layout")) {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return dst;
    }

    @Test
    void the_initramfs_httpd_example_builds_an_installable_plugin() throws Exception {
        Path ex = copy("initramfs-httpd");
        assertThat(cli.run("build", "-c", ex.resolve("fledge.toml").toString(), "-o", "out/httpd.cpio.gz"))
                .as(cli.err()).isZero();
        Manifest m = Manifests.parse(Files.readAllBytes(dir.resolve("out/httpd.cpio.gz.manifest.json")));
        Manifests.validate(Manifests.normalize(m));
        assertThat(m.name()).isEqualTo("httpd");
        assertThat(m.resources().memoryMb()).isEqualTo(512);
        assertThat(m.workload().entrypoint()).startsWith("/bin/busybox", "httpd");
        assertThat(m.workload().baseUrl()).isEqualTo("http://127.0.0.1:80");
        assertThat(Files.readString(ex.resolve("payload/index.html"))).isEqualTo("Hello from BusyBox httpd in a Volant microVM! 🚀");
    }

    @Test
    void the_oci_httpd_example_image_script_and_build_work_offline() throws Exception {
        Path ex = copy("oci-httpd");
        Process p = new ProcessBuilder(List.of("bash", ex.resolve("build-image.sh").toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(cli.run("build", "-c", ex.resolve("fledge.toml").toString(), "-o", "out/oci-httpd.img"))
                .as(cli.err()).isZero();
        Manifest m = Manifests.parse(Files.readAllBytes(dir.resolve("out/oci-httpd.img.manifest.json")));
        Manifests.validate(Manifests.normalize(m));
        assertThat(m.rootfs().format()).isEqualTo("ext4");
        assertThat(m.workload().entrypoint()).containsExactly("/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www");
        assertThat(m.workload().baseUrl()).isEqualTo("http://127.0.0.1:80");
        assertThat(m.workload().workdir()).isEqualTo("/www");
        Process dbg = new ProcessBuilder("debugfs", "-R", "cat /www/index.html", dir.resolve("out/oci-httpd.img").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(new String(dbg.getInputStream().readAllBytes())).isEqualTo("Hello from an OCI image in a Volant microVM! 🚀");
        // The script is reproducible: a second run yields the same manifest digest.
        Process again = new ProcessBuilder(List.of("bash", ex.resolve("build-image.sh").toString(), dir.resolve("l2").toString()))
                .redirectErrorStream(true).start();
        String out2 = new String(again.getInputStream().readAllBytes());
        assertThat(again.waitFor()).isZero();
        assertThat(out2.substring(out2.indexOf("(manifest"))).isEqualTo(out.substring(out.indexOf("(manifest")));
    }
}
