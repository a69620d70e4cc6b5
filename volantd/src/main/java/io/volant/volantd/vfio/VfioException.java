package io.volant.volantd.vfio;

/** A VFIO validation or binding failure. */
public class VfioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VfioException(String message) {
        super(message);
    }

    public VfioException(String message, Throwable cause) {
        super(message, cause);
    }
}
