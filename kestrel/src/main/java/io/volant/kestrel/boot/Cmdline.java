package io.volant.kestrel.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel command line as kestrel reads it (plugins-and-guest.md §1.9): split on whitespace, no quote handling.
 */
public record Cmdline(List<String> tokens) {
    public Cmdline {
        tokens = List.copyOf(tokens);
    }

    public static Cmdline parse(String text) {
        String t = text == null ? "" : text.strip();
        return new Cmdline(t.isEmpty() ? List.of() : List.of(t.split("\\s+")));
    }

    /** Reads {@code path}; a missing file is an empty command line (not in a guest, or a test). */
    public static Cmdline read(Path path) throws IOException {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new Cmdline(List.of());
        }
    }

    /**
     * Manifest-key lookup: each token split at the first {@code =}, name compared exactly; the first match wins. A
     * bare token (no {@code =}) has the empty value.
     */
    public Optional<String> value(String key) {
        for (String tok : tokens) {
            int eq = tok.indexOf('=');
            String name = eq < 0 ? tok : tok.substring(0, eq);
            if (name.equals(key)) {
                return Optional.of(eq < 0 ? "" : tok.substring(eq + 1));
            }
        }
        return Optional.empty();
    }

    /** Whether any token names a {@code volant.} key: the host always adds some, so this marks a Volant guest. */
    public boolean hasVolantKeys() {
        return tokens.stream().anyMatch(t -> t.startsWith("volant."));
    }
}
