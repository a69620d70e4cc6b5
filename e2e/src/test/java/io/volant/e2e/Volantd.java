package io.volant.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One bin/volantd child process; stdout and stderr appended to one log file that survives restarts. */
final class Volantd {
    private final Path launcher;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    Volantd(Path launcher, Map<String, String> env, Path log) {
        this.launcher = launcher;
        this.env = Map.copyOf(env);
        this.log = log;
    }

    void start() {
        ProcessBuilder pb = new ProcessBuilder(List.of(launcher.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + launcher, e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash would: volantd gets no chance to stop its VMs (they run in their own sessions). */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (volantd stops its VMs and closes the store), SIGKILL after the grace period. */
    void stop(Duration grace) throws InterruptedException {
        if (!alive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    Path log() {
        return log;
    }
}
