package io.volant.volantd.errors;

/** HTTP 502: an agent, driftd or artifact source failed. */
public final class UpstreamException extends VolantException {
    private static final long serialVersionUID = 1L;

    public UpstreamException(String message) {
        super(message, null);
    }

    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.UPSTREAM;
    }
}
