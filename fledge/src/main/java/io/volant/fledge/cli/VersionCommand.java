package io.volant.fledge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fledge version}: three lines, defaults {@code dev}, {@code unknown}, {@code unknown} (§4.1). Declared with
 * picocli's programmatic API, like the root ({@link RootCommand}): no annotation is read on its path.
 */
public final class VersionCommand implements Runnable {
    private final Env env;

    private VersionCommand(Env env) {
        this.env = env;
    }

    /** The command's model: no options of its own (the root's {@code -v}/{@code -q} are inherited). */
    public static CommandSpec spec(Env env) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(new VersionCommand(env)).name("version");
        spec.usageMessage().description("Print version information");
        return spec;
    }

    @Override
    public void run() {
        String[] v = values();
        env.out().println("fledge version " + v[0]);
        env.out().println("  build date: " + v[1]);
        env.out().println("  git commit: " + v[2]);
        env.out().flush();
    }

    /** [version, build date, git commit], unfiltered placeholders replaced by the defaults. */
    static String[] values() {
        return new String[] {
            value(BuildInfo.version(), "dev"), value(BuildInfo.buildDate(), "unknown"),
            value(BuildInfo.gitCommit(), "unknown")
        };
    }

    private static String value(String stamped, String def) {
        String v = stamped.trim();
        return v.isEmpty() || v.startsWith("${") ? def : v;
    }

    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fledge " + values()[0]};
        }
    }
}
