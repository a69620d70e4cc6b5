package io.volant.volantd.store;

/** A storage failure (SQL error, I/O); reported as an internal error. The message names the operation. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
