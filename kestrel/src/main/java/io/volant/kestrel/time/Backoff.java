package io.volant.kestrel.time;

import java.time.Duration;

/**
 * Exponential backoff: starts at {@code initial}, doubles after every failure up to {@code max}, and returns to
 * {@code initial} on {@link #reset()}. Not thread-safe; each retry loop owns one.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration current;

    public Backoff(Duration initial, Duration max) {
        if (!initial.isPositive() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got initial=" + initial + " max=" + max);
        }
        this.initial = initial;
        this.max = max;
        this.current = initial;
    }

    /** The delay to wait now; the following call returns the doubled (capped) delay. */
    public Duration next() {
        Duration d = current;
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    public void reset() {
        current = initial;
    }
}
