package io.volant.kestrel.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * Ring buffer of the most recent workload log events plus live subscribers. Publishing never blocks: a subscriber
 * whose queue is full loses the event (and the loss is counted), so a slow SSE client cannot stall the workload's pipes.
 */
public final class LogBuffer {
    private final int capacity;
    private final int subscriberQueue;
    private final ArrayDeque<LogEvent> ring;
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();

    /**
     * @param capacity events kept for replay (the spec asks for at least 1000)
     * @param subscriberQueue events a subscriber may lag behind before it starts dropping
     */
    public LogBuffer(int capacity, int subscriberQueue) {
        this.capacity = capacity;
        this.subscriberQueue = subscriberQueue;
        this.ring = new ArrayDeque<>(capacity);
    }

    public void publish(LogEvent event) {
        synchronized (ring) {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
            // Offered under the ring's lock so a concurrent subscribe() sees each event exactly once: either in its
            // replay snapshot or in its queue.
            for (Subscription s : subscribers) {
                s.offer(event);
            }
        }
    }

    /** The buffered events, oldest first. */
    public List<LogEvent> snapshot() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    /** Registers a live subscriber and returns it with the replay of what was buffered at that instant. */
    public Subscription subscribe() {
        synchronized (ring) {
            Subscription s = new Subscription(new ArrayList<>(ring), new ArrayBlockingQueue<>(subscriberQueue));
            subscribers.add(s);
            return s;
        }
    }

    /** A live view: {@link #replay()} first, then {@link #poll(long)} for what follows. Close it when done. */
    public final class Subscription implements AutoCloseable {
        private final List<LogEvent> replay;
        private final BlockingQueue<LogEvent> queue;
        private volatile long dropped;

        private Subscription(List<LogEvent> replay, BlockingQueue<LogEvent> queue) {
            this.replay = replay;
            this.queue = queue;
        }

        public List<LogEvent> replay() {
            return replay;
        }

        /** The next live event, or null after {@code timeoutMillis} without one. */
        public LogEvent poll(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        public long dropped() {
            return dropped;
        }

        private void offer(LogEvent event) {
            if (!queue.offer(event)) {
                dropped++;
            }
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
