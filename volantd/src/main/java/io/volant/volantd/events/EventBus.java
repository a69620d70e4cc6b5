package io.volant.volantd.events;

/** Publish/subscribe of VM events (control-plane.md §7.1). Publishing never blocks. Thread-safe. */
public interface EventBus {

    /** Default subscriber buffer (control-plane.md §7.1: at least 256). */
    int DEFAULT_CAPACITY = 256;

    /** Hands the event to every subscriber of the topic without blocking. */
    void publish(String topic, VmEvent event);

    /** Registers a subscriber with a buffer of {@code capacity} events. */
    Subscription subscribe(String topic, int capacity);

    /** An event bus that drops everything; for components that need none. */
    static EventBus noop() {
        return NoopEventBus.INSTANCE;
    }
}
