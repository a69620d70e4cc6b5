package io.volant.fledge;

import io.volant.fledge.cli.BuildCommand;
import io.volant.fledge.cli.Env;
import io.volant.fledge.cli.RootCommand;
import io.volant.fledge.cli.ServeCommand;
import io.volant.fledge.cli.VersionCommand;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

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
        return commandLine(env, COMMANDS, false);
    }

    /**
     * The command tree as far as {@code args} needs it, with the same behaviour as the whole one: the root and the
     * subcommand the line names; the root alone for a version request; when the output may list the commands (usage,
     * help, an unknown word or option) and no argument is a command's name, so that picocli never enters one, each
     * command as its name and description only; otherwise the whole tree.
     */
    public static CommandLine commandLine(Env env, String... args) {
        List<String> real = needed(args);
        boolean listing = real.equals(COMMANDS) && Collections.disjoint(Arrays.asList(args), COMMANDS);
        return commandLine(env, listing ? List.of() : real, listing);
    }

    /**
     * The commands to build for real: the one named first (only root options before it), none for a version request
     * without help, else all (the caller may list them instead).
     */
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

    /**
     * A command as the root's usage and "did you mean" see it: its name and description (the cheap {@code version}
     * model as it is). Never parsed into: no argument names it.
     */
    private static CommandSpec listed(String name, Env env) {
        if (name.equals("version")) {
            return VersionCommand.spec(env);
        }
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().description(name.equals("build") ? BuildCommand.DESCRIPTION : ServeCommand.DESCRIPTION);
        return spec;
    }

    /** The root with {@code commands} built for real and, when {@code listing}, the others as {@link #listed}. */
    private static CommandLine commandLine(Env env, List<String> commands, boolean listing) {
        RootCommand root = new RootCommand(env);
        CommandLine cl = new CommandLine(root.spec());
        for (String name : COMMANDS) {
            if (commands.contains(name)) {
                cl.addSubcommand(name, switch (name) {
                    case "build" -> new BuildCommand(root::log, env);
                    case "version" -> VersionCommand.spec(env);
                    default -> new ServeCommand(root::log, env);
                });
            } else if (listing) {
                cl.addSubcommand(name, listed(name, env));
            }
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
