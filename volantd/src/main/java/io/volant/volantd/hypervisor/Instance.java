package io.volant.volantd.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The handle to one running hypervisor (host-runtime.md §2.2, Chosen Java shape). */
public interface Instance {

    /** The VM name. */
    String name();

    /** The hypervisor process id. */
    long pid();

    /** Cloud Hypervisor API socket or QEMU QMP socket; null when the backend has none (simulated). */
    Path controlSocket();

    /** The serial console's Unix socket; null when the backend has none (simulated). */
    Path serialSocket();

    /** Hybrid vsock socket (Cloud Hypervisor); null when absent. */
    Path vsockSocket();

    /** Completes exactly once, when the process has gone, with its classification. Never completes exceptionally. */
    CompletableFuture<ExitResult> exit();

    /**
     * Stops the hypervisor with the launcher's stop sequence (host-runtime.md §3.7) and releases every host
     * resource of the instance. Idempotent: on an instance that has already exited it only releases.
     * Blocks until the process is gone; {@code grace} bounds the graceful phase (0 = skip it).
     *
     * @throws HypervisorException when the process could not be stopped (resources are released anyway)
     */
    void stop(Duration grace);

    /**
     * Suspends the VM to disk (issue 13 item 4): pauses the guest, writes its whole state (memory, device state and
     * the writable disk copies the launcher staged) into the existing, empty directory {@code stateDir}, then ends
     * the hypervisor and releases host resources as {@link #stop} does; the exit result is {@code stopped}. Blocking.
     * On failure the guest is running again when that is still possible and {@code stateDir} may hold a partial
     * state that the caller discards.
     *
     * @throws HypervisorException when the state could not be saved, or the backend cannot suspend
     */
    default void suspend(Path stateDir) {
        throw new HypervisorException("suspend is not supported by this backend");
    }
}
