package io.volant.kestrel.workload;

/**
 * A consistent snapshot of the supervisor, as {@code /healthz} reports it.
 *
 * @param pid null when no process is alive
 * @param lastExit null before the first exit; 128+N when the process died of signal N
 */
public record WorkloadStatus(WorkloadState state, Long pid, int restarts, Integer lastExit) {
    public static final WorkloadStatus PENDING = new WorkloadStatus(WorkloadState.PENDING, null, 0, null);
}
