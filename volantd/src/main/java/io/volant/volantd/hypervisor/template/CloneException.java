package io.volant.volantd.hypervisor.template;

import io.volant.volantd.hypervisor.HypervisorException;

/** A clone started but its identity step failed (the guest said {@code failed}, or never said {@code applied}). */
public final class CloneException extends HypervisorException {
    public CloneException(String message) {
        super(message);
    }
}
