package io.volant.volantd.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread running one level-triggered action on every change under a key prefix (a store watch) and every
 * period (the resync that covers what a watch missed while the store was unreachable). Triggers coalesce: at most
 * one run waits while another runs. The action must not throw.
 */
final class WatchLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchLoop.class);

    private final ScheduledExecutorService thread;
    private final Runnable action;
    private final AtomicBoolean queued = new AtomicBoolean();
    private AutoCloseable watch;

    WatchLoop(String name, Runnable action) {
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
        this.action = action;
    }

    /** Watches {@code prefix} and runs the action after {@code first}, then every {@code period}. */
    WatchLoop start(ClusterStore store, String prefix, Duration first, Duration period) {
        watch = store.watch(prefix, this::trigger);
        thread.scheduleWithFixedDelay(this::trigger, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Queues a run (coalesced); never blocks. */
    void trigger() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    queued.set(false);
                    action.run();
                });
            } catch (RejectedExecutionException e) {
                queued.set(false); // closed
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception e) {
            log.atDebug().addKeyValue("error", e.getMessage()).log("closing a watch failed");
        }
    }
}
