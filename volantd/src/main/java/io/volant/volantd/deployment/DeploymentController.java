package io.volant.volantd.deployment;

import io.volant.manifest.time.Backoff;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.time.Scheduler;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment controller (control-plane.md §3.8, style.md §4): a work queue of deployment <em>names</em>; per
 * name one pass at a time under the deployment lock (then VM locks). Triggers only enqueue: API writes, member exit
 * or destroy, a resync of every deployment each {@code resync}, startup. A failing pass re-enqueues with
 * {@link #PASS_BACKOFF} per name, reset by a clean pass. All waits use the injected clock through a {@link Scheduler}
 * (requeue-after, backoff, resync), which sleeps until the next due time: nothing polls. The pass itself is
 * {@link DeploymentPass}.
 */
public final class DeploymentController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);
    private static final String RESYNC = "resync";
    /** Per-deployment pass retries: 1 s doubling to 60 s (docs/architecture.md, the reconcile loop). */
    private static final Backoff PASS_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    private final Store store;
    private final Clock clock;
    private final Duration resync;
    private final NamedLocks locks;
    private final WorkQueue queue = new WorkQueue();
    private final Scheduler scheduler;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    /** Per name, the callers of {@link #awaitPass} waiting for the next pass to finish. */
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final SelfHealing healing;
    private final Availability availability;
    private final List<Runnable> passListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RevisionConfigs configs;
    private final DeploymentPass pass;
    private final DeploymentStatus status;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong passNanos = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /** @param indices the replica indices this host runs of each deployment ({@link ReplicaIndices#ALL}: all) */
    public DeploymentController(Store store, VmService vms, PluginRegistry plugins, Clock clock, Duration resync,
                                NamedLocks deploymentLocks, ReplicaIndices indices) {
        this.store = store;
        this.clock = clock;
        this.resync = resync;
        this.locks = deploymentLocks;
        this.scheduler = new Scheduler(clock, "deployment-scheduler");
        this.healing = new SelfHealing(clock);
        this.availability = new Availability(vms, clock);
        this.configs = new RevisionConfigs(vms);
        this.pass = new DeploymentPass(store, vms, plugins, clock, healing, availability, indices, configs);
        this.status = new DeploymentStatus(availability, clock, indices, configs);
        vms.setMemberListener(this::enqueue);
    }

    /** Starts the workers and the resync and enqueues every deployment (startup, after recovery). */
    public synchronized void start(int workers) {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().daemon().name("deployment-worker-" + i).start(this::work));
        }
        enqueueAll();
        scheduleResync();
    }

    /** {@code listener} runs after every pass (the port publisher wakes on it: members or rules may have changed). */
    public void onPass(Runnable listener) {
        passListeners.add(listener);
    }

    /** Readiness used by rollouts and the deployment JSON (EXTENSION C when enabled). */
    public void setReadiness(ReadinessProbe r) {
        availability.setReadiness(r);
    }

    /** Enqueues a pass for {@code name} (coalesced). */
    public void enqueue(String name) {
        scheduler.cancel(delayKey(name));
        queue.add(name);
    }

    /**
     * Enqueues {@code name} and blocks until a worker has finished a pass that began after this call, so an API
     * write answers with the state that pass left while the pass itself runs on a worker, never on the request
     * thread. The caller must not hold the deployment's lock. Before {@link #start} (no workers) the pass runs here.
     */
    public void awaitPass(String name) {
        if (!running) {
            reconcileNow(name);
            return;
        }
        CompletableFuture<Void> next = waiting.computeIfAbsent(name, k -> new CompletableFuture<>());
        enqueue(name);
        next.join();
    }

    /** Passes run so far (for metrics). */
    public long passes() {
        return passes.get();
    }

    /** Passes that ended in an error. */
    public long errors() {
        return errors.get();
    }

    /** Total time spent in passes. */
    public Duration passTime() {
        return Duration.ofNanos(passNanos.get());
    }

    /** Names waiting for a pass (not counting delayed ones). */
    public int queueDepth() {
        return queue.depth();
    }

    /** The decoded, validated configs of the deployments' current revisions. */
    RevisionConfigs configs() {
        return configs;
    }

    DeploymentStatus status() {
        return status;
    }

    private void enqueueAll() {
        for (GroupRow g : store.read(tx -> tx.groups().list())) {
            queue.add(g.name());
        }
    }

    private void work() {
        while (running) {
            String name;
            try {
                name = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (name == null) {
                return;
            }
            CompletableFuture<Void> waiters = waiting.remove(name); // they enqueued before this pass began
            try {
                reconcileNow(name);
            } catch (RuntimeException e) {
                log.error("deployment pass crashed deployment={} error={}", name, e.toString());
            } finally {
                queue.done(name);
                if (waiters != null) {
                    waiters.complete(null);
                }
            }
        }
    }

    private void scheduleResync() {
        scheduler.after(RESYNC, resync, () -> {
            if (running) {
                enqueueAll();
                scheduleResync();
            }
        });
    }

    private static String delayKey(String name) {
        return "pass/" + name;
    }

    /**
     * Runs one pass now on the calling thread, under the deployment lock, and schedules what it asks for. Used by
     * the workers, by delete (which repeats passes until the members are gone) and by tests stepping passes by hand.
     */
    public void reconcileNow(String name) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            long started = System.nanoTime();
            passes.incrementAndGet();
            DeploymentPass.Result r;
            try {
                r = pass.run(name);
            } catch (RuntimeException e) {
                r = DeploymentPass.Result.error(e.getMessage());
            }
            long nanos = System.nanoTime() - started;
            passNanos.addAndGet(nanos);
            passListeners.forEach(Runnable::run);
            long ms = nanos / 1_000_000;
            if (r.error() != null) {
                errors.incrementAndGet();
                int n = failures.merge(name, 1, Integer::sum);
                Duration d = PASS_BACKOFF.delay(n);
                later(name, d);
                log.warn("deployment={} result=error attempt={} retry_in_ms={} error={} duration_ms={}", name, n, d.toMillis(),
                        r.error(), ms);
            } else {
                failures.remove(name);
                if (r.requeueAfter() != null) {
                    later(name, r.requeueAfter());
                }
                log.debug("deployment={} result={} duration_ms={}", name, r.requeueAfter() == null ? "done" : "requeue", ms);
            }
        }
    }

    private void later(String name, Duration d) {
        scheduler.after(delayKey(name), d, () -> queue.add(name));
    }

    /** Forgets a deleted deployment's timers. */
    void forget(String name) {
        scheduler.cancel(delayKey(name));
        failures.remove(name);
        healing.forgetDeployment(name);
    }

    /** Stops workers and scheduler; a running pass finishes. */
    @Override
    public void close() {
        running = false;
        scheduler.close();
        queue.shutdown();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
        waiting.values().forEach(f -> f.complete(null)); // no worker is left to run their pass
        waiting.clear();
    }
}
