package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.manifest.VolantVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * The AOT cache (scripts/lib/launch.sh): trained, it is used; broken or stale, volar runs without it and says
     * nothing about it. The developer's own cache files are put back afterwards.
     */
    @Test
    void the_aot_cache_is_used_when_it_matches_and_a_broken_one_falls_back_silently() throws Exception {
        Path target = VolarProcess.LAUNCHER.getParent().getParent().resolve("volar/target");
        Path cache = target.resolve("volar.aot");
        Path stamp = target.resolve("volar.aot.stamp");
        Map<Path, byte[]> saved = new java.util.HashMap<>();
        for (Path p : List.of(cache, stamp)) {
            if (Files.exists(p)) {
                saved.put(p, Files.readAllBytes(p));
            }
        }
        try {
            Run train = volar(Map.of("VOLANT_AOT_TRAIN", "1"));
            assertThat(train.exit()).as(train.err()).isZero();
            assertThat(cache).isNotEmptyFile();
            Run cached = volar(Map.of("VOLANT_JAVA_OPTS", "-Xlog:aot=info"), "--version");
            // -Xlog:aot=info after the launcher's "off": the JVM logs (to stdout) that it mapped the cache.
            assertThat(cached.exit()).isZero();
            assertThat(cached.out().lines()).contains("volar " + VolantVersion.get())
                    .anyMatch(l -> l.contains("Opened AOT cache " + cache));

            // A jar rebuilt after the training: the launcher does not offer the cache to the JVM at all.
            Path jar = target.resolve("volar.jar");
            java.nio.file.attribute.FileTime built = Files.getLastModifiedTime(jar);
            try {
                Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                        Files.getLastModifiedTime(stamp).toMillis() + 2000));
                Run rebuilt = volar(Map.of("VOLANT_JAVA_OPTS", "-Xlog:aot=info"), "--version");
                assertThat(rebuilt.out().lines()).contains("volar " + VolantVersion.get())
                        .noneMatch(l -> l.contains("AOT cache"));
            } finally {
                Files.setLastModifiedTime(jar, built);
            }

            Files.write(cache, "not an AOT cache".getBytes(StandardCharsets.UTF_8)); // the stamp still matches
            Run broken = volar(Map.of(), "--version");
            assertThat(broken.exit()).isZero();
            assertThat(broken.out()).isEqualTo("volar " + VolantVersion.get() + "\n");
            assertThat(broken.err()).isEmpty();

            Files.writeString(stamp, "another JVM\n");
            Run stale = volar(Map.of(), "--version");
            assertThat(stale.out()).isEqualTo("volar " + VolantVersion.get() + "\n");
            assertThat(stale.err()).isEmpty();
        } finally {
            for (Path p : List.of(cache, stamp)) {
                if (saved.containsKey(p)) {
                    Files.write(p, saved.get(p));
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
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
            assertThat(unknown.err()).isEqualTo("Error: VM ghost not found\n");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run down = volar(Map.of(), "--api", "http://127.0.0.1:" + port, "vms", "list");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).startsWith("Error: cannot reach volantd at http://127.0.0.1:" + port + ": ");
        assertThat(down.err().lines()).hasSize(1);

        Run usage = volar(Map.of(), "qqqq"); // no command is near it, so no "did you mean"
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("Error: unknown command \"qqqq\" for \"volar\"\n");
    }
}
