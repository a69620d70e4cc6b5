package io.volant.volar.cli;

import picocli.CommandLine.Option;

/** {@code -y/--yes} on commands that destroy something: skips the confirmation prompt (issue 17 row 15). */
final class YesOption {
    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
    boolean yes;
}
