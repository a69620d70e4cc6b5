package io.volant.volantd.agent;

import java.util.Optional;

/**
 * One {@code GET /healthz} to a VM's agent through its transport (host-runtime.md §7.3), bounded by 2 s.
 * Empty when no transport exists for the VM (readiness then falls back to §3.8 item 5).
 */
@FunctionalInterface
public interface AgentProbe {

    Optional<Result> probe(String vmName);

    /**
     * @param httpStatus status of the answer; 0 when the request failed
     * @param workloadState {@code workload.state} of the body, null when the body has no workload member
     */
    record Result(int httpStatus, String workloadState) {
        /** Success: HTTP 200 and no workload member or a running workload (control-plane.md §3.11). */
        public boolean healthy() {
            return httpStatus == 200 && (workloadState == null || workloadState.equals("running"));
        }
    }
}
