package io.volant.kestrel.time;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as kestrel sees it: a monotonic reading for deadlines, uptime and backoff, wall time for log timestamps,
 * and sleeping. Injected everywhere so tests can move time instead of waiting for it.
 */
public interface Clock {
    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanos();

    /** Wall-clock time, for timestamps shown to people. */
    Instant wallNow();

    /**
     * Blocks for {@code duration} (no-op when zero or negative).
     *
     * @throws InterruptedException when the sleeping thread is interrupted, which is how stop requests end a wait
     */
    void sleep(Duration duration) throws InterruptedException;

    /** The real clock: {@link System#nanoTime()}, {@link Instant#now()} and {@link Thread#sleep(Duration)}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
