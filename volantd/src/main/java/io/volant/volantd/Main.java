package io.volant.volantd;

import io.volant.manifest.VolantVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of volantd. */
@Command(name = "volantd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"volantd " + VolantVersion.get()};
        }
    }
}
