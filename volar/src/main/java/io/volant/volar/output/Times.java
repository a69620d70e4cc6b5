package io.volant.volar.output;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times for people (issue 17 row 9): ages like kubectl's ({@code 45s}, {@code 5m}, {@code 3h}, {@code 2d}) and UTC seconds. */
public final class Times {
    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {}

    /** @return the age of an RFC 3339 time at {@code now}, or "" when the time is absent or unreadable */
    public static String age(String rfc3339, Instant now) {
        Instant t = parse(rfc3339);
        if (t == null) {
            return "";
        }
        return age(Duration.between(t, now));
    }

    public static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 2 * 3600) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    /** {@code 2026-12-06T03:16:13.123456789Z} becomes {@code 2026-12-06 03:16:13Z}; unreadable text is kept. */
    public static String readable(String rfc3339) {
        Instant t = parse(rfc3339);
        return t == null ? rfc3339 : READABLE.format(t);
    }

    public static Instant parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(rfc3339.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
