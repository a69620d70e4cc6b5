package io.volant.volar.cli;

import io.volant.manifest.VolantVersion;
import picocli.CommandLine.Command;

/** {@code volar version}: same text as {@code volar --version}. */
@Command(name = "version", description = "Print the volar version.")
final class VersionCommand extends Base {
    @Override
    public Integer call() {
        out().println("volar " + VolantVersion.get());
        return 0;
    }
}
