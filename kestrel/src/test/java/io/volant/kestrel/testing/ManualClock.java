package io.volant.kestrel.testing;

import io.volant.kestrel.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory {@link Clock} twin shared by all tests: time moves only when someone sleeps or the test advances it;
 * every sleep is recorded and returns at once. Thread-safe.
 */
public final class ManualClock implements Clock {
    private long nanos;
    private final Instant wallBase = Instant.parse("2026-01-02T03:04:05Z");
    private final List<Duration> sleeps = new ArrayList<>();
    private int parkAfter = Integer.MAX_VALUE;

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    @Override
    public synchronized Instant wallNow() {
        return wallBase.plusNanos(nanos);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        synchronized (this) {
            sleeps.add(duration);
            nanos += duration.toNanos();
            // Parked sleepers end only by interruption: that is how stop requests reach them.
            while (sleeps.size() > parkAfter) {
                wait();
            }
        }
    }

    /**
     * Sleeps after the first {@code n} still record (and advance time) but then block until the sleeping thread is
     * interrupted, so a retry loop stops spinning once the test has seen enough of it.
     */
    public synchronized ManualClock parkAfter(int n) {
        parkAfter = n;
        return this;
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    /** Every sleep so far, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** The sleeps except those of length {@code excluded} (e.g. the backoff delays among 50 ms health ticks). */
    public synchronized List<Duration> sleepsOtherThan(Duration excluded) {
        return sleeps.stream().filter(d -> !d.equals(excluded)).toList();
    }
}
