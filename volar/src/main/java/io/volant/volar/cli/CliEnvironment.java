package io.volant.volar.cli;

import io.volant.volar.console.Terminal;
import io.volant.volar.output.Interrupts;
import io.volant.volar.setup.HostProbe;
import io.volant.volar.setup.SetupEffects;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything volar takes from the process it runs in, so that tests can run the CLI in-process with their own
 * environment variables, stdin, terminal and host.
 *
 * @param env        environment variables ({@code VOLANT_API_BASE}, {@code VOLANT_API_KEY}, setup defaults)
 * @param stdin      the console's input, answers to confirmation prompts, {@code -f -}
 * @param terminal   raw-mode switch for {@code vms console}
 * @param hostProbe  uid, PATH and paths {@code volar setup} reads
 * @param setupEffects commands and files a real {@code volar setup} changes
 * @param stderrTty  whether progress may be drawn in place on stderr
 * @param stdinTty   whether a person can answer a confirmation prompt (otherwise none is shown)
 * @param cwd        the directory relative paths (manifests, config files) are resolved against
 * @param pause      how polling loops ({@code --wait}) wait between polls
 * @param clock      "now" for AGE columns and wait deadlines
 * @param interrupts what runs on Ctrl-C
 */
public record CliEnvironment(Map<String, String> env, InputStream stdin, Terminal terminal, HostProbe hostProbe,
        SetupEffects setupEffects, boolean stderrTty, boolean stdinTty, Path cwd, Pause pause, Clock clock,
        Interrupts interrupts) {

    /** Blocks for the given number of milliseconds; injected so nothing in volar sleeps behind a test's back. */
    @FunctionalInterface
    public interface Pause {
        void millis(long ms) throws InterruptedException;
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null ? "" : v.trim();
    }

    public Path resolve(String path) {
        return cwd.resolve(path).toAbsolutePath().normalize();
    }
}
