package io.volant.volar.output;

import java.util.Locale;

/**
 * {@code -o/--output}: one set of formats on every command that prints something (issue 17 rows 3, 5, 7, 11).
 * {@code table} is the human default; {@code wide} adds columns; {@code name} prints names only, one per line;
 * {@code json}/{@code yaml} print the API objects unchanged. Files are written only with {@code --output-file}.
 */
public enum Format {
    TABLE, WIDE, JSON, YAML, NAME;

    /** The formats as users type them, for help texts and the one error message. */
    public static final String NAMES = "table, wide, json, yaml or name";

    /** @throws IllegalArgumentException {@code invalid output format "x" (expected table, wide, json, yaml or name)} */
    public static Format parse(String value) {
        if (value == null) {
            return TABLE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "table", "" -> TABLE;
            case "wide" -> WIDE;
            case "json" -> JSON;
            case "yaml", "yml" -> YAML;
            case "name" -> NAME;
            default -> throw new IllegalArgumentException("invalid output format \"" + value + "\" (expected " + NAMES
                    + ")");
        };
    }

    /** Whether the format prints the API object itself rather than text meant for people. */
    public boolean structured() {
        return this == JSON || this == YAML;
    }

    public boolean human() {
        return this == TABLE || this == WIDE;
    }
}
