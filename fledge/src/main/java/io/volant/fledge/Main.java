package io.volant.fledge;

import io.volant.fledge.cli.BuildCommand;
import io.volant.fledge.cli.Env;
import io.volant.fledge.cli.RootCommand;
import io.volant.fledge.cli.ServeCommand;
import io.volant.fledge.cli.VersionCommand;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** Entry point of fledge: {@code build}, {@code version}, {@code serve}. Errors print {@code Error: <msg>}, exit 1. */
public final class Main {
    /** The subcommands, in the order the usage lists them. */
    static final List<String> COMMANDS = List.of("build", "version", "serve");

    /** The root's own options as single arguments; anything else that starts with {@code -} may be an error. */
    private static final Set<String> ROOT_OPTIONS = Set.of("--verbose", "--quiet", "--help", "--version");

    private Main() {}

    public static void main(String[] args) {
        // Success returns from main: System.exit logs the exit through System.Logger, whose first use looks for a
        // logging backend in every jar of the class path (~10 ms). No command leaves a non-daemon thread behind.
        int code = run(Env.system(), args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs one command line as {@code main} does, without exiting: the exit code. Builds only the commands the line
     * needs, and stops the HTTP client the command may have started before returning (the JVM's exit would wait up to
     * 300 ms for its selector thread).
     */
    public static int run(Env env, String... args) {
        // picocli's DefaultFactory looks for groovy.lang.Closure on every command it builds unless told not to; the
        // miss searches every jar of the class path. fledge has no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        try {
            return commandLine(env, args).execute(args);
        } finally {
            env.http().close();
        }
    }

    /** The whole command tree; tests call {@code execute} on it in-process. */
    public static CommandLine commandLine(Env env) {
        return commandLine(env, COMMANDS);
    }

    /**
     * The command tree as far as {@code args} needs it, with the same behaviour as the whole one: the root and the
     * subcommand the line names; the root alone for a version request; everything when the output may list the
     * commands (usage, help, an unknown word or option).
     */
    public static CommandLine commandLine(Env env, String... args) {
        return commandLine(env, needed(args));
    }

    static List<String> needed(String... args) {
        boolean help = false;
        boolean version = false;
        for (String a : args) {
            if (COMMANDS.contains(a)) {
                return List.of(a);
            }
            if (a.matches("-[hqvV]+") || ROOT_OPTIONS.contains(a)) {
                help |= a.equals("--help") || !a.startsWith("--") && a.contains("h");
                version |= a.equals("--version") || !a.startsWith("--") && a.contains("V");
            } else {
                return COMMANDS;
            }
        }
        return version && !help ? List.of() : COMMANDS;
    }

    private static CommandLine commandLine(Env env, List<String> commands) {
        RootCommand root = new RootCommand(env);
        CommandLine cl = new CommandLine(root.spec());
        for (String name : commands) {
            cl.addSubcommand(name, switch (name) {
                case "build" -> new BuildCommand(root::log, env);
                case "version" -> new VersionCommand(env);
                case "serve" -> new ServeCommand(root::log, env);
                default -> throw new IllegalArgumentException("no command " + name);
            });
        }
        cl.setOut(new java.io.PrintWriter(env.out(), true));
        cl.setErr(new java.io.PrintWriter(env.err(), true));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            env.err().println("Error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            env.err().flush();
            return 1;
        });
        return cl;
    }
}
