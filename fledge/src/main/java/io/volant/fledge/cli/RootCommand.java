package io.volant.fledge.cli;

import io.volant.fledge.util.Log;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * {@code fledge} itself: the global flags, {@code --help}/{@code --version}, and the usage when no command is named.
 *
 * <p>Built with picocli's programmatic API, the same model its annotations gave ({@code mixinStandardHelpOptions}, two
 * inherited flags): reading annotations makes the JDK generate a proxy class per annotation type at run time, which no
 * AOT cache holds, and that was most of {@code fledge --version}'s time in {@code main}. The subcommands keep their
 * annotations; only the ones a command line needs are built ({@code Main.commandLine(Env, String...)}).
 */
public final class RootCommand implements Runnable {
    private final Env env;
    private final OptionSpec verbose;
    private final OptionSpec quiet;
    private final CommandSpec spec;

    public RootCommand(Env env) {
        this.env = env;
        verbose = flag("debug logging", "-v", "--verbose");
        quiet = flag("errors only", "-q", "--quiet");
        spec = CommandSpec.wrapWithoutInspection(this).name("fledge")
                .versionProvider(new VersionCommand.Provider())
                .addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build())
                .addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                        .description("Print version information and exit.").build())
                .addOption(verbose)
                .addOption(quiet);
        spec.usageMessage()
                .description("Builds Volant plugin artifacts (initramfs or rootfs images) and their manifests.");
    }

    /** A boolean flag that every subcommand accepts too (the subcommands' copies share its value). */
    private static OptionSpec flag(String description, String... names) {
        return OptionSpec.builder(names).type(boolean.class).scopeType(ScopeType.INHERIT).description(description)
                .build();
    }

    public CommandSpec spec() {
        return spec;
    }

    /** The logger the global flags ask for (read at run time, after parsing); logs go to stdout as key=value lines. */
    public Log log() {
        Log.Level level = set(quiet) ? Log.Level.ERROR : set(verbose) ? Log.Level.DEBUG : Log.Level.INFO;
        return new Log(env.out(), level);
    }

    private static boolean set(OptionSpec flag) {
        return Boolean.TRUE.equals(flag.getValue());
    }

    @Override
    public void run() {
        spec.commandLine().usage(env.out());
        env.out().flush();
    }
}
