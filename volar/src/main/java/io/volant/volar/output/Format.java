package io.volant.volar.output;

import java.util.Locale;
import java.util.Optional;

/** {@code -o table|json|yaml} (api-and-cli.md §6 item 2). */
public enum Format {
    TABLE, JSON, YAML;

    /** @return the format named by {@code value}, empty when it names none (then it may be a file path) */
    public static Optional<Format> named(String value) {
        if (value == null) {
            return Optional.of(TABLE);
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "table", "" -> Optional.of(TABLE);
            case "json" -> Optional.of(JSON);
            case "yaml", "yml" -> Optional.of(YAML);
            default -> Optional.empty();
        };
    }

    /** Parses {@code -o} where only formats are allowed. */
    public static Format parse(String value) {
        return named(value).orElseThrow(() -> new IllegalArgumentException(
                "invalid output format \"" + value + "\" (expected table, json or yaml)"));
    }
}
