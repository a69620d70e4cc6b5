package io.volant.volantd.logging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one timestamp format of volantd's output: API bodies (api-and-cli.md §1.5) and log lines. */
public final class Rfc3339 {
    private Rfc3339() {
    }

    /** RFC 3339 in UTC with {@code Z}; fractional seconds only when non-zero, trailing zeros trimmed. */
    public static String format(Instant instant) {
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(instant);
        int nanos = instant.getNano();
        if (nanos == 0) {
            return base + "Z";
        }
        String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
        return base + "." + fraction + "Z";
    }
}
