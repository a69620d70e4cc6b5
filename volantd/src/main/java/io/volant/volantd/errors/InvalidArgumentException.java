package io.volant.volantd.errors;

/** HTTP 400: invalid input (a field fails validation). */
public final class InvalidArgumentException extends VolantException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(message, null);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INVALID;
    }
}
