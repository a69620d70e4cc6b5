package io.volant.volar.output;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn in place with {@code \r}. Disabled (every call a no-op) when stderr is
 * not a terminal, so logs and captured output never contain control characters.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private int lastLength;

    public Progress(PrintWriter err, boolean enabled, String label) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
    }

    /**
     * Redraws the bar.
     *
     * @param done  units done
     * @param total units expected, or a value ≤ 0 when unknown (then only the count is shown)
     * @param unit  suffix for the count, e.g. {@code "bytes"} or {@code "ready"}
     */
    public void update(long done, long total, String unit) {
        if (!enabled) {
            return;
        }
        String line;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            line = String.format("%s [%s%s] %d/%d %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done,
                    total, unit);
        } else {
            line = String.format("%s %d %s", label, done, unit);
        }
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    @Override
    public void close() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }
    }
}
