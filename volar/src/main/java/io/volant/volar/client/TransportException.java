package io.volant.volar.client;

/** volantd could not be reached (connection refused, DNS, timeout): the request never got an HTTP answer. */
public final class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
