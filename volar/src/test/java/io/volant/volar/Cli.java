package io.volant.volar;

import io.volant.volar.cli.CliEnvironment;
import io.volant.volar.console.Terminal;
import io.volant.volar.setup.HostProbe;
import io.volant.volar.setup.SetupEffects;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/** Runs volar in-process, the way a shell would, with captured stdout and stderr. */
final class Cli {
    private final Map<String, String> env = new HashMap<>();
    private Path cwd = Path.of("").toAbsolutePath();
    private InputStream stdin = new ByteArrayInputStream(new byte[0]);
    private HostProbe host = new FakeHost(false, Set.of("ip", "iptables", "cloud-hypervisor"));
    /** Unless a test provides its own, any host command fails the test: nothing may touch this machine. */
    private SetupEffects setup = new SetupEffects((argv, timeout) -> {
        throw new AssertionError("unexpected host command " + argv);
    }, Path.of("/nonexistent/sysctl.d/99-volant.conf"));

    /** The outcome of one invocation. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli api(String base) {
        return env("VOLANT_API_BASE", base);
    }

    Cli cwd(Path dir) {
        this.cwd = dir;
        return this;
    }

    Cli stdin(InputStream in) {
        this.stdin = in;
        return this;
    }

    private Terminal terminal = Terminal.NONE;
    private boolean stdinTty;
    private boolean stderrTty;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private final io.volant.volar.output.Interrupts interrupts = new io.volant.volar.output.Interrupts();

    /** Pretends a person is at the terminal: confirmation prompts read their answer from {@link #stdin}. */
    Cli stdinTty(boolean tty) {
        this.stdinTty = tty;
        return this;
    }

    Cli stderrTty(boolean tty) {
        this.stderrTty = tty;
        return this;
    }

    Cli clock(java.time.Clock c) {
        this.clock = c;
        return this;
    }

    /** What Ctrl-C would run (the real process fires it from a shutdown hook). */
    io.volant.volar.output.Interrupts interrupts() {
        return interrupts;
    }

    Cli terminal(Terminal t) {
        this.terminal = t;
        return this;
    }

    Cli setup(SetupEffects effects) {
        this.setup = effects;
        return this;
    }

    Cli host(HostProbe probe) {
        this.host = probe;
        return this;
    }

    /** A running invocation whose output can be watched while it runs. */
    record Live(StringWriter out, StringWriter err, java.util.concurrent.CompletableFuture<Integer> exit) {
        Result result(java.time.Duration limit) throws Exception {
            int code = exit.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return new Result(code, out.toString(), err.toString());
        }
    }

    /** Starts the invocation on another thread. */
    Live start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return new Live(out, err, java.util.concurrent.CompletableFuture.supplyAsync(() -> execute(out, err, args)));
    }

    /** Starts the invocation on another thread with {@code out} as its stdout (e.g. one that breaks like a pipe). */
    Live start(PrintWriter out, String... args) {
        StringWriter err = new StringWriter();
        return new Live(new StringWriter(), err, java.util.concurrent.CompletableFuture.supplyAsync(
                () -> execute(out, new PrintWriter(err, true), args)));
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = execute(out, err, args);
        return new Result(code, out.toString(), err.toString());
    }

    private int execute(StringWriter out, StringWriter err, String... args) {
        return execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private int execute(PrintWriter out, PrintWriter err, String... args) {
        CliEnvironment e = new CliEnvironment(Map.copyOf(env), stdin, terminal, host, setup,
                stderrTty, stdinTty, cwd, Thread::sleep, clock, interrupts);
        // The tree a real run builds: only the command args name (Main.main does the same).
        CommandLine cl = Main.commandLine(e, args);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** A host with a chosen uid and set of binaries on PATH. */
    record FakeHost(boolean root, Set<String> binaries) implements HostProbe {
        @Override
        public boolean isRoot() {
            return root;
        }

        @Override
        public Optional<String> which(String binary) {
            return binaries.contains(binary) ? Optional.of("/usr/bin/" + binary) : Optional.empty();
        }

        @Override
        public String home() {
            return "/home/op";
        }

        @Override
        public Optional<String> volantdPath() {
            return Optional.of("/usr/local/bin/volantd");
        }
    }
}
