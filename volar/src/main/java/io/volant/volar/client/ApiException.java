package io.volant.volar.client;

/** volantd answered with a non-2xx status; {@link #getMessage()} is the server's {@code error} member. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiException(int status, String serverMessage) {
        super(serverMessage);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
