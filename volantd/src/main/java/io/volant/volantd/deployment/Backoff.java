package io.volant.volantd.deployment;

import java.time.Duration;

/**
 * Exponential backoff (style.md §2.10): {@code base} after the first failure, doubling per further failure, capped.
 * The one implementation behind the controller's per-deployment retries and self-healing's per-replica restarts.
 */
record Backoff(Duration base, Duration cap) {
    /** Per-deployment pass retries: 1 s doubling to 60 s (style.md §4). */
    static final Backoff PASS = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    /** Per-replica restarts: 1 s doubling to 300 s (control-plane.md §3.10). */
    static final Backoff RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(300));

    /** The delay after {@code failures} consecutive failures ({@code 1} → base); 0 or less → base. */
    Duration delay(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long ms = base.toMillis() << shift;
        return ms <= 0 || ms > cap.toMillis() ? cap : Duration.ofMillis(ms);
    }
}
