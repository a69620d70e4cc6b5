package io.volant.volar;

import io.volant.volantd.Main;
import io.volant.volantd.api.ApiSettings;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real volantd (domain + HTTP layer) in this JVM on loopback port 0, with the {@code simulated} runtime backend
 * (host-runtime.md §9.8: no hypervisor, kernel, root or bridge) and its state under a test directory.
 */
final class RealVolantd implements SeedDeploymentsTest.TestServer, AutoCloseable {
    private final Main.Daemon daemon;
    private final Path dir;
    private final boolean tls;

    /** @param extraEnv e.g. {@code VOLANT_API_KEY} */
    RealVolantd(Path dir, Map<String, String> extraEnv) throws IOException {
        this.dir = Files.createDirectories(dir.resolve("volantd"));
        Map<String, String> env = new HashMap<>();
        env.put("VOLANT_DB_PATH", this.dir.resolve("state.db").toString());
        env.put("VOLANT_DATA_DIR", this.dir.toString());
        env.put("VOLANT_RUNTIME_DIR", this.dir.resolve("run").toString());
        env.put("VOLANT_LOG_DIR", this.dir.resolve("logs").toString());
        env.put("VOLANT_RUNTIME_BACKEND", "simulated");
        env.put("VOLANT_API_LISTEN", "127.0.0.1:0");
        env.putAll(extraEnv);
        VolantdConfig config = ConfigLoader.load(env, this.dir.toString(), false);
        this.daemon = Main.Daemon.start(config, ApiSettings.fromConfig(config));
        this.tls = config.tls().enabled();
    }

    @Override
    public String base() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + daemon.port();
    }

    /** The caddy manifest with its initramfs pointing at a real (empty) file: the simulated backend checks it. */
    @Override
    public String caddyManifest(Path d) throws IOException {
        Path initramfs = Files.writeString(d.resolve("caddy.cpio.gz"), "");
        return TestManifests.CADDY.replace("/var/lib/volant/plugins/caddy/caddy.cpio.gz", initramfs.toString());
    }

    @Override
    public void close() {
        daemon.close();
    }
}
