package io.volant.kestrel;

import java.io.PrintStream;

/**
 * kestrel's structured logger: one line per event, {@code kestrel: <message> key=value ...}, on stdout (the serial
 * console inside the guest). Never pass secrets or cloud-init data as values. Thread-safe (PrintStream is).
 */
public final class Log {
    private final PrintStream out;
    private final String prefix;

    public Log(PrintStream out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    /** Logs {@code message} followed by alternating keys and values. */
    public void info(String message, Object... kv) {
        StringBuilder sb = new StringBuilder(prefix).append(message);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            sb.append(' ').append(kv[i]).append('=').append(format(kv[i + 1]));
        }
        out.println(sb);
    }

    private static String format(Object v) {
        String s = String.valueOf(v);
        return s.isEmpty() || s.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=')
                ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'
                : s;
    }
}
