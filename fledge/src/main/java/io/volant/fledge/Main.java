package io.volant.fledge;

import io.volant.fledge.cli.BuildCommand;
import io.volant.fledge.cli.Env;
import io.volant.fledge.cli.ServeCommand;
import io.volant.fledge.cli.VersionCommand;
import io.volant.fledge.util.Log;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of fledge: {@code build}, {@code version}, {@code serve}. Errors print {@code Error: <msg>}, exit 1. */
@Command(name = "fledge", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Builds Volant plugin artifacts (initramfs or rootfs images) and their manifests.")
public final class Main implements Runnable {
    @Option(names = {"-v", "--verbose"}, description = "debug logging", scope = ScopeType.INHERIT)
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "errors only", scope = ScopeType.INHERIT)
    boolean quiet;

    private final Env env;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public Main(Env env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(Env.system(), args));
    }

    /**
     * Runs one command line as {@code main} does, without exiting: the exit code. Stops the HTTP client the command
     * may have started before returning (the JVM's exit would wait up to 300 ms for its selector thread).
     */
    public static int run(Env env, String... args) {
        // picocli's DefaultFactory looks for groovy.lang.Closure on every command it builds unless told not to; the
        // miss searches every jar of the class path. fledge has no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        try {
            return commandLine(env).execute(args);
        } finally {
            env.http().close();
        }
    }

    /** The configured command line; tests call {@code execute} on it in-process. */
    public static CommandLine commandLine(Env env) {
        Main main = new Main(env);
        CommandLine cl = new CommandLine(main);
        cl.addSubcommand("build", new BuildCommand(main::log, env));
        cl.addSubcommand("version", new VersionCommand(env));
        cl.addSubcommand("serve", new ServeCommand(main::log, env));
        cl.setOut(new java.io.PrintWriter(env.out(), true));
        cl.setErr(new java.io.PrintWriter(env.err(), true));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            env.err().println("Error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            env.err().flush();
            return 1;
        });
        return cl;
    }

    /** The logger the global flags ask for; logs go to stdout as key=value lines. */
    public Log log() {
        Log.Level level = quiet ? Log.Level.ERROR : verbose ? Log.Level.DEBUG : Log.Level.INFO;
        return new Log(env.out(), level);
    }

    @Override
    public void run() {
        spec.commandLine().usage(env.out());
        env.out().flush();
    }
}
