package io.volant.fledge.util;

import java.io.PrintStream;

/**
 * Structured key=value log lines ({@code level=info msg="..." key=value}). Values with spaces or quotes are quoted.
 * Never log secrets: callers pass only paths, names, sizes and digests.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private final PrintStream out;
    private final Level threshold;

    public Log(PrintStream out, Level threshold) {
        this.out = out;
        this.threshold = threshold;
    }

    public static Log silent() {
        return new Log(new PrintStream(java.io.OutputStream.nullOutputStream()), Level.ERROR);
    }

    public void debug(String msg, Object... kv) { log(Level.DEBUG, msg, kv); }
    public void info(String msg, Object... kv) { log(Level.INFO, msg, kv); }
    public void warn(String msg, Object... kv) { log(Level.WARN, msg, kv); }
    public void error(String msg, Object... kv) { log(Level.ERROR, msg, kv); }

    private void log(Level level, String msg, Object... kv) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        StringBuilder line = new StringBuilder("level=").append(level.name().toLowerCase()).append(" msg=").append(quote(msg));
        for (int i = 0; i + 1 < kv.length; i += 2) {
            line.append(' ').append(kv[i]).append('=').append(quote(String.valueOf(kv[i + 1])));
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static String quote(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
