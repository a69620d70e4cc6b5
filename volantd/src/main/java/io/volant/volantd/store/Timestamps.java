package io.volant.volantd.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Stored timestamps (control-plane.md §6.5): SQLite's {@code YYYY-MM-DD HH:MM:SS} (UTC), RFC 3339 with or without
 * fractional seconds, and Unix seconds are accepted; output is RFC 3339 UTC.
 */
public final class Timestamps {
    private static final DateTimeFormatter SQLITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");

    private Timestamps() {}

    /** Parses a stored value; null or blank gives null; garbage gives null rather than failing a whole list. */
    public static Instant parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String v = s.trim();
        if (v.length() == 19 && v.charAt(10) == ' ') {
            Instant fast = fastSqlite(v);
            if (fast != null) {
                return fast;
            }
        }
        try {
            if (v.indexOf('T') > 0) {
                return OffsetDateTime.parse(v).toInstant();
            }
            if (v.matches("-?[0-9]+(\\.[0-9]+)?")) {
                double secs = Double.parseDouble(v);
                return Instant.ofEpochSecond((long) secs, (long) ((secs - Math.floor(secs)) * 1e9));
            }
            int zone = Math.max(v.lastIndexOf('+'), v.lastIndexOf('-'));
            if (zone > 10) { // Go driver form "2006-01-02 15:04:05.999999999-07:00"
                String local = v.substring(0, zone).trim();
                ZoneOffset off = ZoneOffset.of(v.substring(zone));
                return LocalDateTime.parse(local, SQLITE).toInstant(off);
            }
            return LocalDateTime.parse(v, SQLITE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** {@code YYYY-MM-DD HH:MM:SS} without the formatter machinery: lists parse two per row. */
    private static Instant fastSqlite(String v) {
        try {
            int y = Integer.parseInt(v, 0, 4, 10);
            int mo = Integer.parseInt(v, 5, 7, 10);
            int d = Integer.parseInt(v, 8, 10, 10);
            int h = Integer.parseInt(v, 11, 13, 10);
            int mi = Integer.parseInt(v, 14, 16, 10);
            int se = Integer.parseInt(v, 17, 19, 10);
            long days = java.time.LocalDate.of(y, mo, d).toEpochDay();
            return Instant.ofEpochSecond(days * 86400 + h * 3600L + mi * 60L + se);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** RFC 3339 in UTC with {@code Z}; fractional seconds only when non-zero. */
    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** The SQLite text form, whole seconds, UTC. */
    public static String toSql(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }
}
