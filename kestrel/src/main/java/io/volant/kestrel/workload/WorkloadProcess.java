package io.volant.kestrel.workload;

import java.util.concurrent.CompletableFuture;

/** A launched workload process tree. Implementations are thread-safe. */
public interface WorkloadProcess {
    long pid();

    /** Completes with the exit status (128+N for death by signal N) once the main process has exited. */
    CompletableFuture<Integer> onExit();

    /** Asks the process and all its descendants to stop (SIGTERM). */
    void terminate();

    /** Kills the process and all its descendants (SIGKILL). */
    void kill();
}
