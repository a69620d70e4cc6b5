package io.volant.volantd.events;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The in-process bus: one bounded queue per subscriber; a full queue closes that subscriber. */
public final class InMemoryEventBus implements EventBus {
    private final Map<String, Set<Queue>> subscribers = new ConcurrentHashMap<>();

    @Override
    public void publish(String topic, VmEvent event) {
        Objects.requireNonNull(event, "event");
        Set<Queue> set = subscribers.get(topic);
        if (set == null) {
            return;
        }
        for (Queue q : set) {
            q.offer(event);
        }
    }

    @Override
    public Subscription subscribe(String topic, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity + ", must be >= 1");
        }
        Set<Queue> set = subscribers.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet());
        Queue q = new Queue(capacity, set);
        set.add(q);
        return q;
    }

    private static final class Queue implements Subscription {
        private final BlockingQueue<VmEvent> events;
        private final Set<Queue> owner;
        private volatile boolean closed;
        private volatile boolean overflowed;

        Queue(int capacity, Set<Queue> owner) {
            this.events = new ArrayBlockingQueue<>(capacity);
            this.owner = owner;
        }

        void offer(VmEvent e) {
            if (closed) {
                return;
            }
            if (!events.offer(e)) {
                overflowed = true;
                close();
            }
        }

        @Override
        public VmEvent poll(Duration timeout) throws InterruptedException {
            VmEvent e = events.poll();
            if (e != null || closed) {
                return e;
            }
            return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public boolean overflowed() {
            return overflowed;
        }

        @Override
        public void close() {
            closed = true;
            owner.remove(this);
        }
    }
}
