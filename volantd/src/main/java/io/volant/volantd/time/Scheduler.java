package io.volant.volantd.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keyed tasks at instants of the injected {@link Clock}, without polling: one thread sleeps until the earliest
 * due instant and wakes early when a task is scheduled or a {@link MovableClock} moves. A key holds at most one task;
 * scheduling it again keeps the earlier instant. Due tasks run on virtual threads, so a slow task delays no other.
 * Thread-safe.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private record Entry(Instant due, Runnable task) {}

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private final ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor();
    private final AutoCloseable subscription;
    private final Thread thread;
    private boolean closed;

    public Scheduler(Clock clock, String name) {
        this.clock = clock;
        this.subscription = clock instanceof MovableClock m ? m.onMove(this::wake) : () -> {};
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /** Runs {@code task} once {@code clock.instant()} reaches {@code due}, unless {@code key} is due sooner already. */
    public synchronized void at(String key, Instant due, Runnable task) {
        entries.merge(key, new Entry(due, task), (old, neu) -> old.due().isAfter(neu.due()) ? neu : old);
        notifyAll();
    }

    /** {@link #at} {@code delay} from now. */
    public void after(String key, Duration delay, Runnable task) {
        at(key, clock.instant().plus(delay), task);
    }

    /** Drops {@code key}'s task, if any. */
    public synchronized void cancel(String key) {
        entries.remove(key);
    }

    /** True when {@code key} has a task waiting. */
    public synchronized boolean pending(String key) {
        return entries.containsKey(key);
    }

    /** Re-checks the due instants now (the clock moved). */
    public synchronized void wake() {
        notifyAll();
    }

    private void loop() {
        while (true) {
            Map<String, Runnable> due = new HashMap<>();
            synchronized (this) {
                if (closed) {
                    return;
                }
                Instant now = clock.instant();
                Instant earliest = null;
                var it = entries.entrySet().iterator();
                while (it.hasNext()) {
                    var e = it.next();
                    if (!e.getValue().due().isAfter(now)) {
                        due.put(e.getKey(), e.getValue().task());
                        it.remove();
                    } else if (earliest == null || e.getValue().due().isBefore(earliest)) {
                        earliest = e.getValue().due();
                    }
                }
                if (due.isEmpty()) {
                    try {
                        if (earliest == null) {
                            wait();
                        } else {
                            wait(Math.max(1, Duration.between(now, earliest).toMillis()));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            due.forEach(this::run);
        }
    }

    private void run(String key, Runnable task) {
        try {
            runners.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("scheduled task failed key={} error={}", key, e.toString());
                }
            });
        } catch (RejectedExecutionException ignored) {
            // closing
        }
    }

    /** Stops the thread; waiting tasks are dropped, running ones finish on their own. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            entries.clear();
            notifyAll();
        }
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("scheduler unsubscribe failed error={}", e.toString());
        }
        runners.shutdown();
        thread.interrupt();
    }
}
