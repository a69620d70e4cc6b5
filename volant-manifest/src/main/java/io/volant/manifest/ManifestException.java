package io.volant.manifest;

import java.io.Serial;

/**
 * The manifest library's only error type. The message is meant for users as is: for validation failures it is
 * the exact text of plugins-and-guest.md §1.5 (for example {@code plugin manifest: name required}).
 */
public final class ManifestException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
