package io.volant.kestrel.workload;

import io.volant.kestrel.Log;
import io.volant.kestrel.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The start-up health wait (plugins-and-guest.md §2.7): probe every 50 ms (first after 50 ms), 5 s per probe, until
 * a 2xx, the process exits, or the deadline — {@code timeout_ms} but never less than 120 s (K2) — passes.
 */
public final class HealthWaiter {
    static final Duration FLOOR = Duration.ofSeconds(120);
    static final Duration INTERVAL = Duration.ofMillis(50);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    /** How a wait ended. */
    public enum Result { HEALTHY, TIMED_OUT, PROCESS_EXITED }

    private final HealthProbe probe;
    private final Clock clock;
    private final Log log;

    public HealthWaiter(HealthProbe probe, Clock clock, Log log) {
        this.probe = probe;
        this.clock = clock;
        this.log = log;
    }

    /** The effective deadline for a manifest timeout: at least {@link #FLOOR}. */
    public static Duration deadline(Duration timeout) {
        return timeout.compareTo(FLOOR) < 0 ? FLOOR : timeout;
    }

    /** Blocks until healthy, exited or timed out. An empty endpoint is healthy at once. */
    public Result await(WorkloadSpec spec, BooleanSupplier alive) throws InterruptedException {
        if (spec.healthEndpoint().isEmpty()) {
            return Result.HEALTHY;
        }
        URI target = UrlJoin.healthTarget(spec.baseUrl(), spec.healthEndpoint());
        long deadline = clock.nanos() + deadline(spec.healthTimeout()).toNanos();
        int attempt = 0;
        while (true) {
            clock.sleep(INTERVAL);
            if (!alive.getAsBoolean()) {
                return Result.PROCESS_EXITED;
            }
            String failure = probe.probe(target, PROBE_TIMEOUT);
            if (failure == null) {
                return Result.HEALTHY;
            }
            attempt++;
            // Sampled: the first failure and then one in 20 (once a second), so a slow start does not flood the console.
            if (attempt == 1 || attempt % 20 == 0) {
                log.info("workload not healthy yet", "url", target, "attempt", attempt, "error", failure);
            }
            if (clock.nanos() - deadline >= 0) {
                return Result.TIMED_OUT;
            }
        }
    }
}
