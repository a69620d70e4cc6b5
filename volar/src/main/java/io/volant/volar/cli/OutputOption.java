package io.volant.volar.cli;

import io.volant.volar.output.Format;
import picocli.CommandLine.Option;

/** {@code -o/--output}, the same on every command that prints a result (issue 17 row 11). */
final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "<format>",
            description = "output format: " + Format.NAMES + " (default table)")
    String value;
}
