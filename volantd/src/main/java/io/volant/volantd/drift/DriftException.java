package io.volant.volantd.drift;

/**
 * driftd answered with a non-2xx status ({@link #status()} is that status, the message driftd's {@code error} member
 * or {@code driftd returned status <n>}), or could not be reached ({@link #status()} 502, the transport's text).
 * The HTTP layer passes the status through (api-and-cli.md §2.9).
 */
public final class DriftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public DriftException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** True for driftd's 404 (route unknown), which removal treats as success. */
    public boolean notFound() {
        return status == 404;
    }
}
