package io.volant.volantd.errors;

/** HTTP 500: launch, seed, tap, storage or other internal failure. */
public final class InternalException extends VolantException {
    private static final long serialVersionUID = 1L;

    public InternalException(String message) {
        super(message, null);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INTERNAL;
    }
}
