package io.volant.volantd.hypervisor;

/** A launch or stop failure of a hypervisor backend; the engine reports it as an internal error. */
public class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
