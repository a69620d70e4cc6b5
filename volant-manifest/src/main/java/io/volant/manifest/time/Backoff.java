package io.volant.manifest.time;

import java.time.Duration;

/**
 * Exponential backoff, the one policy of volantd and kestrel: {@code base} after the first failure, doubling per
 * further failure, capped at {@code cap}. The record is pure and shareable; a retry loop that keeps its own count
 * takes a {@link Retries}.
 *
 * @param base the delay after the first failure, positive
 * @param cap  the largest delay, at least {@code base}
 */
public record Backoff(Duration base, Duration cap) {
    // Past 2^30 times the base every delay is the cap anyway; the bound keeps the shift from overflowing.
    private static final int MAX_SHIFT = 30;

    public Backoff {
        if (base == null || cap == null || !base.isPositive() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base=" + base + " cap=" + cap);
        }
    }

    /** The delay after {@code failures} consecutive failures ({@code 1} → base); 0 or less → base. */
    public Duration delay(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), MAX_SHIFT);
        long ms = base.toMillis() << shift;
        return ms <= 0 || ms > cap.toMillis() ? cap : Duration.ofMillis(ms);
    }

    /** A failure count over this policy, starting at none. */
    public Retries retries() {
        return new Retries(this);
    }

    /** One retry loop's count of consecutive failures. Not thread-safe: each loop owns one. */
    public static final class Retries {
        private final Backoff policy;
        private int failures;

        private Retries(Backoff policy) {
            this.policy = policy;
        }

        /** Counts a failure and returns the delay to wait now: base, then doubled per call, capped. */
        public Duration next() {
            failures = Math.min(failures + 1, MAX_SHIFT + 1);
            return policy.delay(failures);
        }

        /** Back to no failures: the next delay is the base again. */
        public void reset() {
            failures = 0;
        }
    }
}
