package io.volant.volantd.network;

import java.time.Duration;
import java.util.List;

/** Runs host commands ({@code ip}, {@code nft}) in argv form, no shell. The one seam tests fake. */
public interface CommandRunner {

    /**
     * Runs {@code argv} and waits at most {@code timeout}.
     *
     * @return the exit code and captured output; a non-zero exit is not an exception
     * @throws NetworkException when the command cannot be started or times out
     */
    Result run(List<String> argv, Duration timeout);

    /**
     * Runs {@code argv} with {@code stdin} as its standard input ({@code nft -f -} reads a whole transaction this
     * way). Runners that cannot feed input refuse non-empty input.
     */
    default Result run(List<String> argv, String stdin, Duration timeout) {
        if (stdin == null || stdin.isEmpty()) {
            return run(argv, timeout);
        }
        throw new NetworkException("run [" + String.join(" ", argv) + "]: this runner cannot feed standard input");
    }

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
