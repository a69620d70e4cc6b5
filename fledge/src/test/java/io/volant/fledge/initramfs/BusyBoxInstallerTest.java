package io.volant.fledge.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.fledge.config.ConfigLoader;
import io.volant.fledge.testing.FakeHttp;
import io.volant.fledge.testing.Fixtures;
import io.volant.manifest.Checksums;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyBoxInstallerTest {
    @TempDir Path dir;
    final FakeHttp http = new FakeHttp();
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    BusyBoxInstaller installer(Path debian) {
        return new BusyBoxInstaller(http, new TempDirs(dir.resolve("tmp")),
                new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), Log.Level.INFO), debian);
    }

    @Test
    void offline_with_the_default_url_falls_back_to_debian_busybox_static() throws Exception {
        Path debian = Fixtures.fakeBusybox(dir);
        http.offline();
        Path got = installer(debian).resolve(ConfigLoader.DEFAULT_BUSYBOX_URL, ConfigLoader.DEFAULT_BUSYBOX_SHA256, Map.of(), dir);
        assertThat(got).isEqualTo(debian);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("using Debian busybox-static");
    }

    @Test
    void offline_with_a_custom_url_is_an_error() throws Exception {
        http.offline();
        assertThatThrownBy(() -> installer(Fixtures.fakeBusybox(dir)).resolve("https://example.test/bb", "", Map.of(), dir))
                .hasMessageContaining("failed");
    }

    @Test
    void a_download_is_verified_and_the_env_override_wins() throws Exception {
        http.serve("https://example.test/bb", "busybox-bytes");
        String sum = Checksums.sha256Hex("busybox-bytes".getBytes());
        Path got = installer(dir.resolve("none")).resolve("https://example.test/bb", "SHA256:" + sum.toUpperCase(), Map.of(), dir);
        assertThat(got).hasContent("busybox-bytes");
        Path own = Fixtures.fakeBusybox(dir);
        assertThat(installer(dir.resolve("none")).resolve("https://example.test/bb", "", Map.of("FLEDGE_BUSYBOX_PATH", own.toString()), dir))
                .isEqualTo(own);
    }
}
