package io.volant.volantd.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.volant.volantd.Main;
import io.volant.volantd.api.ApiSettings;
import io.volant.volantd.logging.JsonLogLayout;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The one integration fixture: a real volantd (core domain + HTTP server) in process on port 0, over a temporary
 * SQLite file with the simulated backend, driven by a real HTTP client ({@link #api()}). It can restart volantd
 * gracefully or abruptly on the same database, and prints the captured logs only when the test failed.
 *
 * <p>Use as {@code @RegisterExtension final VolantdFixture volantd = new VolantdFixture();}.
 */
public final class VolantdFixture implements BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> env = new HashMap<>();
    private final ConcurrentLinkedQueue<String> logs = new ConcurrentLinkedQueue<>();
    private final Capture capture = new Capture();
    private Duration resync = Duration.ofSeconds(10);
    private Path dir;
    private Main.Daemon daemon;
    private Api api;

    /** Extra environment for the next {@link #start()} (e.g. {@code VOLANT_API_KEY}). */
    public VolantdFixture env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Controller resync period for the next start (default 10 s, as in production). */
    public VolantdFixture resync(Duration d) {
        this.resync = d;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("volantd-it-");
        capture.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(capture);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            stop();
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(capture);
            if (context.getExecutionException().isPresent()) {
                System.out.println("---- volantd logs of " + context.getDisplayName() + " ----");
                logs.forEach(System.out::print);
            }
            logs.clear();
            deleteTree(dir);
        }
    }

    /** Starts volantd (or returns the running one). */
    public Api start() {
        if (daemon == null) {
            VolantdConfig config = config().withResyncInterval(resync);
            daemon = Main.Daemon.start(config, ApiSettings.fromConfig(config));
            api = new Api("http://127.0.0.1:" + daemon.port());
        }
        return api;
    }

    /** The environment volantd would see: simulated backend, everything under the temp dir, port 0. */
    public Map<String, String> environment() {
        Map<String, String> e = new HashMap<>();
        e.put("VOLANT_DB_PATH", dir.resolve("state.db").toString());
        e.put("VOLANT_DATA_DIR", dir.toString());
        e.put("VOLANT_RUNTIME_DIR", dir.resolve("run").toString());
        e.put("VOLANT_LOG_DIR", dir.resolve("logs").toString());
        e.put("VOLANT_RUNTIME_BACKEND", "simulated");
        e.put("VOLANT_API_LISTEN", "127.0.0.1:0");
        e.putAll(env);
        return e;
    }

    public VolantdConfig config() {
        return ConfigLoader.load(environment(), dir.toString(), false);
    }

    public Api api() {
        return start();
    }

    public Main.Daemon daemon() {
        start();
        return daemon;
    }

    public Path dir() {
        return dir;
    }

    /** Graceful stop, then a fresh volantd on the same database. */
    public Api restart() {
        stop();
        return start();
    }

    /** Abrupt stop (no graceful shutdown, no row updates), as after a SIGKILL. */
    public void kill() {
        if (daemon != null) {
            try {
                daemon.kill();
            } finally {
                daemon = null;
                api = null;
            }
        }
    }

    /** Stops gracefully (no-op when not running). */
    public void stop() {
        if (daemon != null) {
            try {
                daemon.close();
            } finally {
                daemon = null;
                api = null;
            }
        }
    }

    /** Every captured log line so far (JSON lines). */
    public List<String> logLines() {
        return List.copyOf(logs);
    }

    private final class Capture extends AppenderBase<ILoggingEvent> {
        private final JsonLogLayout layout = new JsonLogLayout();

        @Override
        protected void append(ILoggingEvent event) {
            logs.add(layout.doLayout(event));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
