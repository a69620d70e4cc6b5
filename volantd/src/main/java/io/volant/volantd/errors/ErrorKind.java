package io.volant.volantd.errors;

/**
 * The error kinds of control-plane.md §2.9 / api-and-cli.md §1.4. Each kind maps to exactly one HTTP status;
 * the HTTP layer maps {@link VolantException#kind()} in one place.
 */
public enum ErrorKind {
    INVALID("invalid", 400),
    NOT_FOUND("not_found", 404),
    CONFLICT("conflict", 409),
    UNAVAILABLE("unavailable", 503),
    UPSTREAM("upstream", 502),
    INTERNAL("internal", 500);

    private final String code;
    private final int httpStatus;

    ErrorKind(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The JSON {@code code} member of the error body. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
