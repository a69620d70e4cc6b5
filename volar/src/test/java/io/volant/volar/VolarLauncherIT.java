package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.manifest.VolantVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.volant.volar.VolarProcess.Run;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/volar} as a real process (launcher, packaged jar, exit codes, stream separation) against a real
 * in-process volantd (simulated backend).
 */
class VolarLauncherIT {

    @TempDir
    Path dir;

    private Run volar(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return VolarProcess.run(dir, env, args);
    }

    @Test
    void version_prints_the_project_version() throws Exception {
        Run r = volar(Map.of(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("volar " + VolantVersion.get() + "\n");
    }

    @Test
    void the_launcher_talks_to_volantd_and_reports_failures_on_stderr() throws Exception {
        try (RealVolantd volantd = new RealVolantd(dir, Map.of("VOLANT_API_KEY", "k"))) {
            Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
            Map<String, String> env = Map.of("VOLANT_API_BASE", volantd.base(), "VOLANT_API_KEY", "k");
            Run install = volar(env, "plugins", "install", "caddy.json");
            assertThat(install.exit()).as(install.err()).isZero();
            assertThat(install.out()).isEqualTo("Plugin caddy 0.1.0 installed\n");

            Run unknown = volar(env, "vms", "get", "ghost");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.out()).isEmpty();
            assertThat(unknown.err()).isEqualTo("Error: vm not found (HTTP 404)\n");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run down = volar(Map.of(), "--api", "http://127.0.0.1:" + port, "vms", "list");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).startsWith("Error: cannot reach volantd at http://127.0.0.1:" + port + ": ");
        assertThat(down.err().lines()).hasSize(1);

        Run usage = volar(Map.of(), "nope");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("Error: unknown command \"nope\" for \"volar\"\n");
    }
}
