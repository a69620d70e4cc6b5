package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public class ManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }
}
