package io.volant.fledge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir Path dir;
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    final ConfigLoader loader = new ConfigLoader(new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), Log.Level.INFO));

    FledgeConfig load(String toml) throws Exception {
        Path f = dir.resolve("fledge.toml");
        Files.writeString(f, toml);
        return loader.load(f);
    }

    @Test
    void ac_c1_initramfs_with_agent_busybox_and_two_mappings_loads() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "initramfs"
                [agent]
                source_strategy = "release"
                version = "latest"
                [source]
                busybox_url = "https://example.com/busybox"
                busybox_sha256 = "abc123"
                [mappings]
                "payload/caddy" = "/usr/bin/caddy"
                "payload/Caddyfile" = "/etc/caddy/Caddyfile"
                """);
        assertThat(c.version()).isEqualTo("1");
        assertThat(c.strategy()).isEqualTo("initramfs");
        assertThat(c.agent().sourceStrategy()).isEqualTo("release");
        assertThat(c.mappings()).hasSize(2).containsEntry("payload/caddy", "/usr/bin/caddy");
    }

    @Test
    void ac_c2_oci_rootfs_keeps_the_image_verbatim() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "oci_rootfs"
                [source]
                image = "docker.io/library/nginx:alpine"
                [filesystem]
                type = "ext4"
                size_buffer_mb = 100
                [mappings]
                "configs/nginx.conf" = "/etc/nginx/nginx.conf"
                """);
        assertThat(c.source().image()).isEqualTo("docker.io/library/nginx:alpine");
        assertThat(c.filesystem().type()).isEqualTo("ext4");
        assertThat(c.filesystem().sizeBufferMb()).isEqualTo(100);
        assertThat(c.mappings()).containsEntry("configs/nginx.conf", "/etc/nginx/nginx.conf");
    }

    @Test
    void ac_c3_initramfs_with_only_busybox_url_defaults_the_agent_to_release_latest() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "initramfs"
                [source]
                busybox_url = "https://example.com/busybox"
                """);
        assertThat(c.agent().sourceStrategy()).isEqualTo("release");
        assertThat(c.agent().version()).isEqualTo("latest");
    }

    @Test
    void ac_c4_oci_rootfs_with_only_an_image_defaults_to_squashfs() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "oci_rootfs"
                [source]
                image = "nginx:alpine"
                """);
        assertThat(c.filesystem().type()).isEqualTo("squashfs");
        assertThat(c.filesystem().sizeBufferMb()).isZero();
        assertThat(c.filesystem().compressionLevel()).isEqualTo(15);
        assertThat(c.filesystem().overlaySize()).isEqualTo("1G");
    }

    @Test
    void ac_c9_initramfs_without_source_gets_the_default_busybox_url_and_digest() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "initramfs"
                [agent]
                source_strategy = "release"
                version = "latest"
                """);
        assertThat(c.source().busyboxUrl()).isEqualTo(ConfigLoader.DEFAULT_BUSYBOX_URL);
        assertThat(c.source().busyboxSha256()).isEqualTo(ConfigLoader.DEFAULT_BUSYBOX_SHA256);
    }

    @Test
    void a_custom_busybox_url_does_not_get_the_default_digest() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "initramfs"
                [source]
                busybox_url = "https://example.com/busybox"
                """);
        assertThat(c.source().busyboxSha256()).isEmpty();
    }

    @Test
    void a_partial_squashfs_filesystem_gets_compression_and_overlay_defaults() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "oci_rootfs"
                [source]
                image = "nginx"
                [filesystem]
                preallocate = true
                """);
        assertThat(c.filesystem()).isEqualTo(new FledgeConfig.FilesystemConfig("squashfs", 0, true, 15, "1G"));
    }

    @Test
    void unknown_keys_are_warned_not_rejected() throws Exception {
        FledgeConfig c = load("""
                version = "1"
                strategy = "oci_rootfs"
                colour = "blue"
                [source]
                image = "nginx"
                tag = "x"
                [plugin]
                name = "nginx"
                """);
        assertThat(c.source().image()).isEqualTo("nginx");
        String out = logs.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("level=warn").contains("key=colour").contains("key=source.tag").contains("key=plugin");
    }

    @Test
    void oci_rootfs_without_agent_is_accepted() throws Exception {
        assertThat(load("""
                version = "1"
                strategy = "oci_rootfs"
                [source]
                image = "nginx"
                """).agent()).isNull();
    }

    @Test
    void a_missing_file_names_the_path() {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.toml")))
                .hasMessageStartingWith("failed to read config file " + dir.resolve("nope.toml") + ": ");
    }

    @Test
    void broken_toml_is_a_parse_error() {
        assertThatThrownBy(() -> load("version = \"1\nstrategy"))
                .isInstanceOf(FledgeException.class).hasMessageStartingWith("failed to parse TOML: ");
    }

    @Test
    void a_wrongly_typed_value_names_the_key() {
        assertThatThrownBy(() -> load("version = 1\nstrategy = \"initramfs\"\n"))
                .hasMessage("failed to parse TOML: 'version' must be a string");
    }

    static Stream<Arguments> invalid() {
        String oci = "version = \"1\"\nstrategy = \"oci_rootfs\"\n";
        String ini = "version = \"1\"\nstrategy = \"initramfs\"\n";
        return Stream.of(
                // AC-C5
                Arguments.of("strategy = \"initramfs\"\n", "'version' field is required"),
                Arguments.of("version = \"2\"\nstrategy = \"initramfs\"\n", "unsupported config version '2', expected '1'"),
                Arguments.of("version = \"1\"\n", "'strategy' field is required"),
                // AC-C6
                Arguments.of("version = \"1\"\nstrategy = \"invalid_strategy\"\n",
                        "invalid strategy 'invalid_strategy', must be 'oci_rootfs' or 'initramfs'"),
                // AC-C7
                Arguments.of(oci + "[filesystem]\ntype = \"ext4\"\n",
                        "either 'source.image' or 'source.dockerfile' is required for oci_rootfs strategy"),
                Arguments.of(oci + "[source]\nimage = \"a\"\ndockerfile = \"Dockerfile\"\n",
                        "only one of 'source.image' or 'source.dockerfile' may be specified for oci_rootfs strategy"),
                // AC-C8
                Arguments.of(oci + "[source]\nimage = \"a\"\n[filesystem]\ntype = \"ntfs\"\n",
                        "invalid filesystem type 'ntfs', must be one of: squashfs (recommended), ext4, xfs, btrfs"),
                Arguments.of(oci + "[source]\nimage = \"a\"\n[filesystem]\ncompression_level = 23\n",
                        "squashfs compression_level must be between 0-22, got 23"),
                Arguments.of(oci + "[source]\nimage = \"a\"\n[filesystem]\ntype = \"ext4\"\nsize_buffer_mb = -1\n",
                        "filesystem.size_buffer_mb must be non-negative, got -1"),
                Arguments.of(ini + "[init]\nnone = true\npath = \"/x\"\n", "[init] cannot specify both none=true and path"),
                Arguments.of(ini + "[agent]\nversion = \"latest\"\n", "'agent.source_strategy' is required"),
                Arguments.of(ini + "[agent]\nsource_strategy = \"release\"\n",
                        "'agent.version' is required when using 'release' source strategy"),
                // AC-C10
                Arguments.of(ini + "[agent]\nsource_strategy = \"local\"\n",
                        "'agent.path' is required when using 'local' source strategy"),
                // AC-C11
                Arguments.of(ini + "[agent]\nsource_strategy = \"http\"\n",
                        "'agent.url' is required when using 'http' source strategy"),
                Arguments.of(ini + "[agent]\nsource_strategy = \"s3\"\n",
                        "invalid agent.source_strategy 's3', must be one of: release, local, http"),
                Arguments.of(ini + "[init]\npath = \"/sbin/myinit\"\n[agent]\nsource_strategy = \"release\"\nversion = \"latest\"\n",
                        "'agent' section cannot be specified with custom init mode ([init] path set)"),
                Arguments.of(ini + "[init]\nnone = true\n[agent]\nsource_strategy = \"release\"\nversion = \"latest\"\n",
                        "'agent' section cannot be specified with no-init mode ([init] none=true)"),
                Arguments.of(ini + "[mappings]\n\"\" = \"/x\"\n", "mapping source path cannot be empty"),
                Arguments.of(ini + "[mappings]\n\"a\" = \"\"\n", "mapping destination path cannot be empty for source 'a'"),
                // AC-C12
                Arguments.of(ini + "[mappings]\n\"app\" = \"usr/bin/app\"\n",
                        "mapping destination 'usr/bin/app' must be an absolute path (start with /)"),
                // AC-C13
                Arguments.of(ini + "[mappings]\n\"app\" = \"/usr/../etc/app\"\n",
                        "mapping destination '/usr/../etc/app' contains '..' which is not allowed"),
                Arguments.of(ini + "[mappings]\n\"app\" = \"/opt/a..b\"\n",
                        "mapping destination '/opt/a..b' contains '..' which is not allowed"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void each_validation_rule_gives_its_exact_message(String toml, String message) {
        assertThatThrownBy(() -> load(toml)).isInstanceOf(FledgeException.class)
                .hasMessage("validation failed: " + message);
    }
}
