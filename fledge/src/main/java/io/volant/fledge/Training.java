package io.volant.fledge;

import io.volant.fledge.cli.Env;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The training run of fledge's AOT cache ({@code scripts/build.sh}): the quick commands in one JVM, output
 * discarded, so the cache holds what the command line and its help need. Exits 1 if a command failed.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Env system = Env.system();
        Env env = new Env(system.vars(), system.cwd(), sink, sink, system.http(), system.runners(), false);
        int failures = 0;
        for (List<String> c : List.of(List.of("--version"), List.of("version"), List.of("--help"),
                List.of("build", "--help"))) {
            failures += Main.run(env, c.toArray(String[]::new)) == 0 ? 0 : 1;
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
