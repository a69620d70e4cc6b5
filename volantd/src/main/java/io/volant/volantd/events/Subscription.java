package io.volant.volantd.events;

import java.time.Duration;

/**
 * A bounded subscriber queue. An overflowing subscription is closed rather than silently missing events
 * (control-plane.md §7.1 Chosen); the consumer sees {@link #isClosed()} and ends its stream.
 */
public interface Subscription extends AutoCloseable {

    /** Waits up to {@code timeout} for the next event; null on timeout or when closed and drained. */
    VmEvent poll(Duration timeout) throws InterruptedException;

    /** True once unsubscribed or closed because the buffer overflowed. */
    boolean isClosed();

    /** True when the subscription was closed because the consumer fell behind. */
    boolean overflowed();

    /** Unsubscribes; idempotent. */
    @Override
    void close();
}
