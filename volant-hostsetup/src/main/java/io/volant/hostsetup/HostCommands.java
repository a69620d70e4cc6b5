package io.volant.hostsetup;

import java.time.Duration;
import java.util.List;

/**
 * Runs host commands ({@code ip}, {@code iptables}, {@code sysctl}, {@code systemctl}) in argv form, no shell: the
 * one external effect of host setup besides its files. {@link ProcessHostCommands} runs them,
 * {@link RecordingHostCommands} is the in-memory twin every test uses; volantd adapts its namespaced runner.
 */
@FunctionalInterface
public interface HostCommands {

    /**
     * Runs {@code argv} and waits at most {@code timeout}.
     *
     * @return the exit code and captured output; a non-zero exit is not an exception
     * @throws IllegalStateException when the command cannot be started or times out
     */
    Result run(List<String> argv, Duration timeout);

    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
