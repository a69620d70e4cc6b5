package io.volant.volantd.events;

/** Event bus topics (control-plane.md §7.2). */
public final class Topics {
    /** All VM lifecycle events and {@code VM_LOG} events. */
    public static final String VM_EVENTS = "orchestrator.vm.events";
    /** Defined upstream, never used. */
    public static final String VM_LOGS = "orchestrator.vm.logs";

    private Topics() {}
}
