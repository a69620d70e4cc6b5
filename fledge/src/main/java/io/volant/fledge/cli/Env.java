package io.volant.fledge.cli;

import io.volant.fledge.util.CommandRunner;
import io.volant.fledge.util.HttpFetcher;
import io.volant.fledge.util.JdkHttpFetcher;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.ProcessCommandRunner;
import io.volant.fledge.util.TempDirs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The process environment of the CLI, injected so tests run it in-process: variables, working directory, output
 * streams, the HTTP and process boundaries, and whether to install the SIGINT/SIGTERM cleanup hook.
 */
public record Env(Map<String, String> vars, Path cwd, PrintStream out, PrintStream err, HttpFetcher http,
                  BiFunction<TempDirs, Log, CommandRunner> runners, boolean installShutdownHook) {

    public static Env system() {
        return new Env(System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err, new JdkHttpFetcher(),
                ProcessCommandRunner::new, true);
    }

    /** Concurrent server builds must not each register a process-wide hook. */
    public Env withoutShutdownHook() {
        return new Env(vars, cwd, out, err, http, runners, false);
    }

    public Path tempRoot() {
        String t = vars.getOrDefault("FLEDGE_TMPDIR", "");
        return Path.of(t.isEmpty() ? System.getProperty("java.io.tmpdir") : t);
    }
}
