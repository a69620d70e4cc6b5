package io.volant.fledge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
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
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/io/volant/fledge/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // defaults below
        }
        return new String[] {
            value(p, "version", "dev"), value(p, "build.date", "unknown"), value(p, "git.commit", "unknown")
        };
    }

    private static String value(Properties p, String key, String def) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() || v.startsWith("${") ? def : v;
    }

    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fledge " + values()[0]};
        }
    }
}
