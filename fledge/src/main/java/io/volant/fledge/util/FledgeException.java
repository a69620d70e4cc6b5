package io.volant.fledge.util;

/** The one error type of fledge: its message is shown to the user as is (spec messages are exact). */
public class FledgeException extends RuntimeException {
    public FledgeException(String message) {
        super(message);
    }

    public FledgeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps an error with a prefix, keeping the inner message verbatim after it. */
    public static FledgeException wrap(String prefix, Throwable cause) {
        return new FledgeException(prefix + cause.getMessage(), cause);
    }
}
