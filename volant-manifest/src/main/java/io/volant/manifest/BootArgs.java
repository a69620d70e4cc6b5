package io.volant.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A kernel command line read the way kestrel reads {@code /proc/cmdline} (plugins-and-guest.md §1.9): split on
 * whitespace, no quote handling. Immutable.
 */
public final class BootArgs {
    private final List<String> tokens;

    private BootArgs(List<String> tokens) {
        this.tokens = tokens;
    }

    /** @param cmdline the command line (null reads as empty) */
    public static BootArgs parse(String cmdline) {
        List<String> out = new ArrayList<>();
        String s = Text.orEmpty(cmdline);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && Text.isGoSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < s.length() && !Text.isGoSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return new BootArgs(Collections.unmodifiableList(out));
    }

    /** @return the whitespace-separated tokens in order */
    public List<String> tokens() {
        return tokens;
    }

    /**
     * How kestrel reads the manifest keys ({@code volant.manifest}, {@code volant.plugin}, {@code volant.api_host},
     * {@code volant.api_port}): each token is split at the first {@code =} and the name compared exactly; tokens
     * without {@code =} are skipped; the last match wins (the host's sorted Volant arguments follow the user's
     * extra arguments, so the host's value is the one used).
     */
    public Optional<String> value(String name) {
        String found = null;
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq >= 0 && t.substring(0, eq).equals(name)) {
                found = t.substring(eq + 1);
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * How the boot keys ({@code volant.boot}, {@code volant.rootfs_device}, {@code volant.rootfs_fstype},
     * {@code volant.overlay_size}, {@code root=}...) are read: the first token starting with {@code key=} wins,
     * so a user's extra argument overrides the host's.
     */
    public Optional<String> bootValue(String key) {
        String prefix = key + "=";
        for (String t : tokens) {
            if (t.startsWith(prefix)) {
                return Optional.of(t.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    /** @return whether some token is {@code key} or starts with {@code key=} */
    public boolean has(String key) {
        String prefix = key + "=";
        for (String t : tokens) {
            if (t.equals(key) || t.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
