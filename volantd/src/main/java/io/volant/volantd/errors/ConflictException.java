package io.volant.volantd.errors;

/** HTTP 409: already exists or wrong state. */
public final class ConflictException extends VolantException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message, null);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
