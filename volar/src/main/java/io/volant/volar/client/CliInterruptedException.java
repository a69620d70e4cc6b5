package io.volant.volar.client;

/** The user interrupted a blocking call (exit code 130). */
public final class CliInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliInterruptedException() {
        super("interrupted");
    }
}
