package io.volant.fledge.cli;

import static io.volant.fledge.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.build.Outputs;
import io.volant.fledge.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The CLI in-process via picocli's CommandLine.execute: exit codes and exact messages. */
class BuildCommandTest {
    @TempDir Path dir;
    Path tempRoot;
    Fixtures.Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        tempRoot = dir.resolve("tmp");
        Files.createDirectories(tempRoot);
        cli = new Fixtures.Cli(dir, tempRoot);
    }

    static Stream<Arguments> badConfigs() {
        String ini = "version = \"1\"\nstrategy = \"initramfs\"\n";
        String oci = "version = \"1\"\nstrategy = \"oci_rootfs\"\n";
        return Stream.of(
                Arguments.of("strategy = \"initramfs\"\n", "validation failed: 'version' field is required"),
                Arguments.of("version = \"1\"\nstrategy = \"invalid_strategy\"\n",
                        "validation failed: invalid strategy 'invalid_strategy', must be 'oci_rootfs' or 'initramfs'"),
                Arguments.of(oci + "[filesystem]\ntype = \"ext4\"\n",
                        "validation failed: either 'source.image' or 'source.dockerfile' is required for oci_rootfs strategy"),
                Arguments.of(oci + "[source]\nimage = \"x\"\n[filesystem]\ntype = \"ntfs\"\n",
                        "validation failed: invalid filesystem type 'ntfs', must be one of: squashfs (recommended), ext4, xfs, btrfs"),
                Arguments.of(ini + "[agent]\nsource_strategy = \"local\"\n",
                        "validation failed: 'agent.path' is required when using 'local' source strategy"),
                Arguments.of(ini + "[agent]\nsource_strategy = \"http\"\n",
                        "validation failed: 'agent.url' is required when using 'http' source strategy"),
                Arguments.of(ini + "[mappings]\n\"a\" = \"usr/bin/app\"\n",
                        "validation failed: mapping destination 'usr/bin/app' must be an absolute path (start with /)"),
                Arguments.of(ini + "[mappings]\n\"a\" = \"/usr/../etc/app\"\n",
                        "validation failed: mapping destination '/usr/../etc/app' contains '..' which is not allowed"),
                Arguments.of("version = \n", "failed to parse TOML: "));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badConfigs")
    void a_bad_config_prints_the_exact_message_and_exits_1(String toml, String message) throws Exception {
        write(dir.resolve("fledge.toml"), toml);
        assertThat(cli.run("build")).isEqualTo(1);
        assertThat(cli.err()).startsWith("Error: failed to parse config: " + message);
        assertThat(tempRoot).isEmptyDirectory();
    }

    @Test
    void a_missing_config_names_its_path() {
        assertThat(cli.run("build", "-c", "nope.toml")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("Error: config file not found: " + dir.resolve("nope.toml") + "\n");
    }

    @Test
    void an_explicit_missing_manifest_template_is_an_error() throws Exception {
        write(dir.resolve("fledge.toml"), "version = \"1\"\nstrategy = \"initramfs\"\n");
        assertThat(cli.run("build", "-m", "missing.toml")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("Error: manifest file not found: " + dir.resolve("missing.toml") + "\n");
    }

    @Test
    void a_bad_manifest_template_gives_its_exact_message() throws Exception {
        write(dir.resolve("fledge.toml"), "version = \"1\"\nstrategy = \"initramfs\"\n");
        write(dir.resolve("manifest.toml"), "name = \"x\"\nversion = \"1\"\nruntime = \"x\"\n[network]\nmode = \"nat\"\n");
        assertThat(cli.run("build")).isEqualTo(1);
        assertThat(cli.err()).isEqualTo(
                "Error: manifest validation failed: invalid network.mode \"nat\" (must be bridged, vsock, or dhcp)\n");
    }

    @ParameterizedTest
    @CsvSource({"--output-initramfs,", "--context,.", "--target,prod", "--build-arg,A=1"})
    void direct_mode_flags_without_a_dockerfile_are_rejected(String flag, String value) {
        int rc = value == null ? cli.run("build", flag) : cli.run("build", flag, value);
        assertThat(rc).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("Error: " + BuildCommand.DOCKERFILE_REQUIRED + "\n");
    }

    @Test
    void direct_mode_rejects_an_explicit_config_a_missing_dockerfile_a_directory_and_bad_build_args() throws Exception {
        write(dir.resolve("ctx/Dockerfile"), "FROM scratch\n");
        assertThat(cli.run("build", "ctx/Dockerfile", "-c", "fledge.toml")).isEqualTo(1);
        assertThat(cli.err()).contains("--config cannot be used with a Dockerfile");
        assertThat(new Fixtures.Cli(dir, tempRoot).run("build", "nope/Dockerfile")).isEqualTo(1);
        Fixtures.Cli c = new Fixtures.Cli(dir, tempRoot);
        assertThat(c.run("build", "ctx")).isEqualTo(1);
        assertThat(c.err()).contains("dockerfile is a directory: " + dir.resolve("ctx"));
        c = new Fixtures.Cli(dir, tempRoot);
        assertThat(c.run("build", "ctx/Dockerfile", "--build-arg", "=x")).isEqualTo(1);
        assertThat(c.err()).contains("invalid --build-arg '=x'");
        c = new Fixtures.Cli(dir, tempRoot);
        assertThat(c.run("build", "ctx/Dockerfile", "--dockerfile", "other/Dockerfile")).isEqualTo(1);
        assertThat(c.err()).contains("conflicting Dockerfiles");
    }

    @Test
    void version_prints_three_lines() {
        assertThat(cli.run("version")).isZero();
        assertThat(cli.out()).matches("fledge version \\S+\n  build date: \\S.*\n  git commit: \\S+\n");
    }

    @Test
    void the_build_stamps_the_version_and_date() {
        assertThat(cli.run("version")).isZero();
        assertThat(cli.out()).matches("fledge version \\d\\S*\n  build date: \\d{4}-\\S+\n  git commit: \\S+\n");
    }

    @ParameterizedTest
    @CsvSource({"nginx:alpine,nginx", "docker://nginx:alpine,nginx", "docker.io/library/nginx:1.25@sha256:abc,nginx",
            "localhost:5000/app,app", "localhost:5000/team/My App:v1,my-app", "registry/x@sha256:1,x"})
    void image_names_follow_the_chosen_rule(String ref, String name) {
        assertThat(Outputs.imageName(ref)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({"oci:webimage:latest,webimage", "oci:/a/b/layout,layout", "oci-archive:web.tar,web",
            "docker-archive:images/app.tar:app:1,app", "nginx:alpine,nginx:alpine"})
    void local_transports_are_named_after_their_directory_or_archive(String ref, String name) {
        assertThat(BuildCommand.localName(ref)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({"nginx.img,nginx.squashfs", "out/x,out/x.squashfs", "a.squashfs,a.squashfs"})
    void squashfs_outputs_get_their_extension(String in, String out) {
        assertThat(Outputs.squashfsName(Path.of(in))).isEqualTo(Path.of(out));
    }
}
