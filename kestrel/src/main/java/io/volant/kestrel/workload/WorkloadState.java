package io.volant.kestrel.workload;

import java.util.Locale;

/** Supervisor states (plugins-and-guest.md §2.6 Chosen); {@link #wire()} is the {@code /healthz} spelling. */
public enum WorkloadState {
    /** No workload yet: no manifest, or not started. */
    PENDING,
    /** Process launched, health check not passed yet. */
    STARTING,
    /** Health check passed (or there is none). */
    RUNNING,
    /** Exited with status 0, or stopped on request. */
    EXITED,
    /** Exited non-zero, failed to launch, or failed its health check. */
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
