package io.volant.volar;

import io.volant.hostsetup.ProcessHostCommands;
import io.volant.volar.cli.CliEnvironment;
import io.volant.volar.cli.Commands;
import io.volant.volar.cli.Volar;
import io.volant.volar.console.SttyTerminal;
import io.volant.volar.output.Interrupts;
import io.volant.volar.setup.SetupEffects;
import io.volant.volar.setup.SystemHostProbe;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Entry point of volar: wires the process environment into the command tree and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine cl = commandLine(processEnvironment(System.getenv()), args);
        // Straight to fd 1, not through System.out: a PrintStream hides EPIPE, and `volar events | head -1` must
        // notice that its reader is gone (PrintWriter.checkError).
        cl.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true));
        System.exit(cl.execute(args));
    }

    /**
     * The environment of a real run: these variables, this process's stdin, terminal and host; Ctrl-C (a shutdown
     * hook, installed when a command first registers an interrupt) fires its interrupts. The AOT training builds its
     * runs with it too, so that the cache holds this code.
     */
    public static CliEnvironment processEnvironment(Map<String, String> variables) {
        Interrupts interrupts = new Interrupts(Main::onShutdown);
        return new CliEnvironment(variables, System.in, new SttyTerminal(), new SystemHostProbe(),
                new SetupEffects(new ProcessHostCommands(), SetupEffects.SYSCTL_FILE), isTerminal(2), isTerminal(0),
                Path.of("").toAbsolutePath(), Thread::sleep, Clock.systemUTC(), interrupts);
    }

    /** Runs {@code fire} when the JVM shuts down (Ctrl-C); nothing once it is already shutting down. */
    private static void onShutdown(Runnable fire) {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(fire, "volar-interrupt"));
        } catch (IllegalStateException shuttingDown) {
            // the first interrupt registered after Ctrl-C: the process is exiting, there is nothing left to tidy
        }
    }

    /** The configured command tree; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Volar(env).spec());
        Commands.addAll(cl);
        return configure(cl);
    }

    /**
     * The command tree as far as {@code args} needs it: the commands on the path they name ({@link Commands}).
     * Same behaviour as {@link #commandLine(CliEnvironment)}, a fraction of its start-up.
     */
    public static CommandLine commandLine(CliEnvironment env, String[] args) {
        CommandLine cl = new CommandLine(new Volar(env).spec());
        Commands.addFor(cl, args);
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
        addHelpOptions(cl);
        for (String local : new String[] {"completion", "help"}) {
            CommandLine sub = cl.getSubcommands().get(local);
            if (sub == null) {
                continue;
            }
            // These never talk to volantd: connection options in their help would only confuse (issue 17 row 25).
            CommandSpec spec = sub.getCommandSpec();
            for (String option : new String[] {"--api", "--api-key", "--ca-cert", "--client-cert", "--client-key",
                    "--timeout"}) {
                OptionSpec o = spec.findOption(option);
                if (o != null) {
                    spec.remove(o);
                }
            }
        }
        // The command's HTTP clients are stopped as soon as it returns, in tests and the training as in a real run.
        Volar root = cl.getCommand();
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                root.closeClients();
            }
        });
        ErrorHandlers handlers = new ErrorHandlers();
        cl.setParameterExceptionHandler(handlers);
        cl.setExecutionExceptionHandler(handlers);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setAbbreviatedOptionsAllowed(false);
        return cl;
    }

    /** {@code -h}/{@code --help} on every command, groups and leaves alike (issue 17 row 1). */
    private static void addHelpOptions(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cl.getSubcommands().values().stream().distinct().forEach(Main::addHelpOptions);
    }

    /** Whether a file descriptor is a terminal; the JDK can only tell through /proc. */
    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
