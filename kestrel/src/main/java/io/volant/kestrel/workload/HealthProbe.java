package io.volant.kestrel.workload;

import java.net.URI;
import java.time.Duration;

/** One health probe: {@code GET target}, healthy on 2xx. */
@FunctionalInterface
public interface HealthProbe {
    /**
     * @return null when healthy, else a short reason (status or transport error) for the log
     * @throws InterruptedException when the waiting thread is interrupted (stop)
     */
    String probe(URI target, Duration timeout) throws InterruptedException;
}
