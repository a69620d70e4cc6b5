package io.volant.volantd.network;

/** A tap or bridge operation failed; the engine reports it as an internal error. */
public class NetworkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
