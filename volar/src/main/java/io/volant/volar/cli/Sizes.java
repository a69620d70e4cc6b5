package io.volant.volar.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as people write them: {@code 512} (MB), {@code 512M}, {@code 1G}, {@code 1GiB}, {@code 2048MB}. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|m|mb|mib|g|gb|gib)");

    private Sizes() {}

    /** @return megabytes (MiB), or -1 when the text is not a size */
    static long megabytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 9) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).startsWith("g") ? n * 1024 : n;
    }
}
