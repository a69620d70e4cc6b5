package io.volant.volantd.cloudinit;

/** A seed image could not be built. */
public class SeedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SeedException(String message, Throwable cause) {
        super(message, cause);
    }
}
