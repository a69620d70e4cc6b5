package io.volant.kestrel.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go duration notation, which the agent's environment and its {@code /healthz} uptime use. */
public final class GoDurations {
    private static final Pattern UNIT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDurations() {}

    /**
     * Parses Go's {@code time.ParseDuration} syntax ({@code 45s}, {@code 1h30m}, {@code 1.5s}, {@code 300ms}, {@code 0})
     * or, as upstream also accepts, a bare integer number of milliseconds. Empty when the text is neither.
     */
    public static Optional<Duration> parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (s.matches("[+-]?\\d+")) {
            try {
                return Optional.of(Duration.ofMillis(Long.parseLong(s)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        Matcher m = UNIT.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int pos = 0;
        while (pos < s.length() && m.find(pos) && m.start() == pos) {
            nanos = nanos.add(new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1))
                    .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            pos = m.end();
        }
        if (pos != s.length()) {
            return Optional.empty();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return Optional.of(negative ? d.negated() : d);
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L; // "h"
        };
    }

    /**
     * Formats {@code d} rounded to whole seconds (half away from zero, like Go's {@code Round(time.Second)}) the way
     * Go's {@code Duration.String} prints it: {@code 0s}, {@code 42s}, {@code 3m0s}, {@code 1m5s}, {@code 2h0m5s}.
     */
    public static String formatWholeSeconds(Duration d) {
        long millis = d.toMillis();
        boolean negative = millis < 0;
        long seconds = (Math.abs(millis) + 500) / 1000;
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder(negative && seconds > 0 ? "-" : "");
        if (h > 0) {
            out.append(h).append('h').append(m).append('m');
        } else if (m > 0) {
            out.append(m).append('m');
        }
        return out.append(s).append('s').toString();
    }
}
