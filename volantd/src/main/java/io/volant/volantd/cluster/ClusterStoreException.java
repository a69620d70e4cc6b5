package io.volant.volantd.cluster;

/** The cluster store could not be reached or refused a request; the message names the operation and endpoint. */
public final class ClusterStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
