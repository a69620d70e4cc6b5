package io.volant.fledge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fledge version}: three lines, defaults {@code dev}, {@code unknown}, {@code unknown} (§4.1). */
@Command(name = "version", description = "Print version information")
public final class VersionCommand implements Runnable {
    private final Env env;

    public VersionCommand(Env env) {
        this.env = env;
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
