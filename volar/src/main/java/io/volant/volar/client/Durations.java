package io.volant.volar.client;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h30m}), as upstream volar's flags take. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {}

    public static Duration parse(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            long nanos = switch (m.group(2)) {
                case "ms" -> (long) (v * 1e6);
                case "s" -> (long) (v * 1e9);
                case "m" -> (long) (v * 60e9);
                default -> (long) (v * 3600e9);
            };
            d = d.plusNanos(nanos);
            end = m.end();
        }
        if (end != t.length() || t.isEmpty() || d.isZero()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (e.g. 30s, 10m, 1h)");
        }
        return d;
    }

    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
