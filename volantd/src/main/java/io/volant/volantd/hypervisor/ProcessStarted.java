package io.volant.volantd.hypervisor;

/**
 * Told the hypervisor's pid as soon as the process exists, before the launch goes on (QMP handshake, restore,
 * identity): the engine records it on the VM's row, so a crash of volantd in the rest of the launch leaves a process
 * that recovery finds by that row (issue 14 item 8).
 */
@FunctionalInterface
public interface ProcessStarted {
    /** Nobody listens (templates, tests). */
    ProcessStarted NONE = pid -> {};

    /**
     * Called once, on the launching thread, right after the process started. Throwing aborts the launch: the
     * launcher kills the process and fails with the cause.
     */
    void started(long pid);
}
