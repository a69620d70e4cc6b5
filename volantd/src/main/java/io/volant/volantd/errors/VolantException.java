package io.volant.volantd.errors;

/**
 * Base of every domain failure. The message is the exact, user-visible text of the specs (e.g.
 * {@code orchestrator: vm not found: web}); {@link #kind()} decides the HTTP status.
 */
public abstract sealed class VolantException extends RuntimeException
        permits InvalidArgumentException, NotFoundException, ConflictException, UnavailableException,
                UpstreamException, InternalException {
    private static final long serialVersionUID = 1L;

    protected VolantException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract ErrorKind kind();

    public int httpStatus() {
        return kind().httpStatus();
    }
}
