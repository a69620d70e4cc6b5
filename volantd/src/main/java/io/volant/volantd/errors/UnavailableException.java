package io.volant.volantd.errors;

/** HTTP 503: a pool (IP addresses, CIDs) is exhausted or a component is not configured. */
public final class UnavailableException extends VolantException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message, null);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UNAVAILABLE;
    }
}
