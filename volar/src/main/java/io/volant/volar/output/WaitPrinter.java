package io.volant.volar.output;

import java.io.PrintWriter;

/**
 * Progress of a wait (deployments {@code --wait}, rollouts): on a terminal one line on stderr redrawn in place and
 * terminated on close or Ctrl-C; otherwise (piped, CI logs) one plain line per change of state, so the progress is
 * visible in a log without control characters (issue 17 row 12).
 *
 * <pre>{@code
 * try (WaitPrinter p = new WaitPrinter(err, tty, "deployment web", interrupts)) {
 *     p.update("6/8 replicas ready");
 * }
 * }</pre>
 */
public final class WaitPrinter implements AutoCloseable {
    private final PrintWriter err;
    private final boolean tty;
    private final String subject;
    private final Runnable unregister;
    private String last = "";
    private int drawn;

    public WaitPrinter(PrintWriter err, boolean tty, String subject, Interrupts interrupts) {
        this.err = err;
        this.tty = tty;
        this.subject = subject;
        this.unregister = interrupts.register(this::terminate);
    }

    /** Shows the current state, e.g. {@code 6/8 replicas ready}; repeated states print nothing new when piped. */
    public synchronized void update(String state) {
        if (state.equals(last)) {
            return;
        }
        last = state;
        String line = subject + ": " + state;
        if (tty) {
            err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            drawn = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line so that whatever follows starts on a fresh one. */
    private synchronized void terminate() {
        if (tty && drawn > 0) {
            err.println();
            err.flush();
            drawn = 0;
        }
    }

    @Override
    public void close() {
        unregister.run();
        terminate();
    }
}
