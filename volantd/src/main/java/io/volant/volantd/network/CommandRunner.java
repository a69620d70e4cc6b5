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

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
