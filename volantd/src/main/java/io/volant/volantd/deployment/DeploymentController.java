package io.volant.volantd.deployment;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.Names;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmConfigs;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment controller (control-plane.md §3.8, style.md §4): a work queue of deployment <em>names</em>; per
 * name one pass at a time under the deployment lock (then VM locks). Triggers only enqueue: API writes, member exit
 * or destroy, a resync of every deployment each {@code resync}, startup. A failing pass re-enqueues with per-name
 * backoff 1 s doubling to 60 s, reset by a clean pass. All waits use the injected clock: a ticker thread compares
 * due times with {@code clock.instant()} every {@link #TICK}.
 */
public final class DeploymentController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeploymentController.class);
    static final Duration TICK = Duration.ofMillis(25);
    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofSeconds(60);

    private final Store store;
    private final VmService vms;
    private final PluginRegistry plugins;
    private final Clock clock;
    private final Duration resync;
    private final NamedLocks locks;
    private final WorkQueue queue = new WorkQueue();
    private final Map<String, Instant> delayed = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final SelfHealing healing;
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, RolloutTrack> rollouts = new ConcurrentHashMap<>();
    private volatile ReadinessProbe readiness = ReadinessProbe.ALWAYS_HEALTHY;
    private volatile boolean running;
    private Instant nextResync;

    /** EXTENSION A progress deadline: no current-revision replica becoming ready for this long → failed. */
    public static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(600);

    /** Per deployment: the revision being rolled out, when it last made progress, whether it failed. */
    private static final class RolloutTrack {
        final int revision;
        Instant lastProgress;
        int readyNew;
        boolean failed;

        RolloutTrack(int revision, Instant now) {
            this.revision = revision;
            this.lastProgress = now;
        }
    }

    public DeploymentController(Store store, VmService vms, PluginRegistry plugins, Clock clock, Duration resync,
                                NamedLocks deploymentLocks) {
        this.store = store;
        this.vms = vms;
        this.plugins = plugins;
        this.clock = clock;
        this.resync = resync;
        this.locks = deploymentLocks;
        this.healing = new SelfHealing(clock);
        vms.setMemberListener(this::enqueue);
    }

    /** Starts the workers and the ticker and enqueues every deployment (startup, after recovery). */
    public synchronized void start(int workers) {
        if (running) {
            return;
        }
        running = true;
        nextResync = clock.instant().plus(resync);
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().daemon().name("deployment-worker-" + i).start(this::work));
        }
        threads.add(Thread.ofPlatform().daemon().name("deployment-ticker").start(this::tick));
        enqueueAll();
    }

    /** Readiness used by rollouts (EXTENSION C when enabled). */
    public void setReadiness(ReadinessProbe r) {
        this.readiness = r;
    }

    /** Enqueues a pass for {@code name} (coalesced). */
    public void enqueue(String name) {
        delayed.remove(name);
        queue.add(name);
    }

    /** Passes run, failed passes (for metrics). */
    public long passes() {
        return passes.get();
    }

    public long errors() {
        return errors.get();
    }

    public int queueDepth() {
        return queue.depth();
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
            try {
                reconcileNow(name);
            } catch (RuntimeException e) {
                log.error("deployment pass crashed deployment={} error={}", name, e.toString());
            } finally {
                queue.done(name);
            }
        }
    }

    private void tick() {
        while (running) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            try {
                Instant now = clock.instant();
                for (Map.Entry<String, Instant> e : delayed.entrySet()) {
                    if (!e.getValue().isAfter(now) && delayed.remove(e.getKey(), e.getValue())) {
                        queue.add(e.getKey());
                    }
                }
                if (!now.isBefore(nextResync)) {
                    nextResync = now.plus(resync);
                    enqueueAll();
                }
            } catch (RuntimeException e) {
                log.error("deployment ticker error={}", e.toString());
            }
        }
    }

    /**
     * Runs one pass now on the calling thread, under the deployment lock, and schedules what it asks for. Used by
     * the workers and synchronously by create and scale.
     */
    public void reconcileNow(String name) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            long started = System.nanoTime();
            passes.incrementAndGet();
            Result r;
            try {
                r = pass(name);
            } catch (RuntimeException e) {
                r = Result.error(e.getMessage());
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (r.error() != null) {
                errors.incrementAndGet();
                int n = failures.merge(name, 1, Integer::sum);
                Duration d = backoff(n);
                delayed.merge(name, clock.instant().plus(d), (a, b) -> a.isBefore(b) ? a : b);
                log.warn("deployment={} result=error attempt={} retry_in={}s error={} duration_ms={}", name, n, d.toSeconds(), r.error(), ms);
            } else {
                failures.remove(name);
                if (r.requeueAfter() != null) {
                    delayed.merge(name, clock.instant().plus(r.requeueAfter()), (a, b) -> a.isBefore(b) ? a : b);
                }
                log.debug("deployment={} result={} duration_ms={}", name, r.requeueAfter() == null ? "done" : "requeue", ms);
            }
        }
    }

    static Duration backoff(int attempt) {
        long secs = BACKOFF_BASE.toSeconds() << Math.min(attempt - 1, 6);
        return Duration.ofSeconds(Math.min(secs, BACKOFF_CAP.toSeconds()));
    }

    /** Forgets a deleted deployment's timers. */
    void forget(String name) {
        delayed.remove(name);
        failures.remove(name);
        rollouts.remove(name);
        healing.forgetDeployment(name);
    }

    private Result pass(String name) {
        Optional<GroupRow> og = store.read(tx -> tx.groups().getByName(name));
        if (og.isEmpty()) {
            forget(name);
            return Result.done();
        }
        GroupRow g = og.get();
        VmConfig template = VmConfigs.normalize(VmConfigCodec.fromJsonString(g.configJson()));
        List<VmRow> members = vms.members(g.id());
        List<String> problems = new ArrayList<>();

        if (members.stream().anyMatch(m -> !isCurrent(g, m))) {
            Result r = rollout(g, template);
            if (r != null) {
                handOverRoutes(name, template, vms.members(g.id()));
                return r;
            }
            members = vms.members(g.id());
        }

        // Scale down: unparseable names first, then the highest index.
        if (members.size() > g.replicas()) {
            List<VmRow> order = new ArrayList<>(members);
            order.sort(Comparator.comparingInt((VmRow m) -> Names.replicaIndex(name, m.name()) == 0 ? 0 : 1)
                    .thenComparing(Comparator.comparingInt((VmRow m) -> Names.replicaIndex(name, m.name())).reversed()));
            for (VmRow m : order.subList(0, members.size() - g.replicas())) {
                try {
                    vms.destroy(m.name(), false);
                } catch (RuntimeException e) {
                    problems.add("destroy " + m.name() + ": " + e.getMessage());
                    log.warn("deployment={} vm={} destroy failed error={}", name, m.name(), e.getMessage());
                }
            }
            members = vms.members(g.id());
        }

        // Scale up: lowest free indices first; a name held by a non-member is skipped.
        if (members.size() < g.replicas()) {
            try {
                DeploymentConfigs.checkEnabled(template, plugins);
            } catch (ConflictException e) {
                return Result.error(e.getMessage());
            }
            Set<Integer> taken = new HashSet<>();
            members.forEach(m -> taken.add(Names.replicaIndex(name, m.name())));
            int have = members.size();
            for (int i = 1; have < g.replicas(); i++) {
                if (taken.contains(i)) {
                    continue;
                }
                String vm = Names.replicaName(name, i);
                if (vms.find(vm).isPresent()) {
                    log.warn("deployment={} vm={} skipped: name held by a vm outside the deployment", name, vm);
                    continue;
                }
                try {
                    vms.createReplica(vm, template, g.id(), g.revision());
                    have++;
                } catch (RuntimeException e) {
                    log.warn("deployment={} vm={} create failed error={}", name, vm, e.getMessage());
                    return Result.error("create " + vm + ": " + e.getMessage());
                }
            }
            members = vms.members(g.id());
        }

        // EXTENSION B: restart members that should run, with per-replica backoff.
        Duration next = healing.heal(name, members, vms, problems);
        healing.retain(name, members);
        handOverRoutes(name, template, vms.members(g.id()));
        if (!problems.isEmpty()) {
            return Result.error(String.join("; ", problems));
        }
        return next == null ? Result.done() : Result.requeueAfter(next);
    }

    /**
     * Drift ownership (control-plane.md §9 Chosen): routes nobody owns (the owner stopped or was removed) go to the
     * lowest-index running member; members that already share them are skipped by the ownership rule.
     */
    private void handOverRoutes(String name, VmConfig template, List<VmRow> members) {
        if (template.expose().isEmpty()) {
            return;
        }
        members.stream().filter(m -> m.status().equals("running"))
                .sorted(Comparator.comparingInt((VmRow m) -> Names.replicaIndex(name, m.name())))
                .forEach(m -> vms.takeOverRoutes(m.name()));
    }

    private static boolean isCurrent(GroupRow g, VmRow m) {
        return m.groupRevision() != null && m.groupRevision() == g.revision();
    }

    private boolean ready(VmRow m) {
        return m.status().equals("running") && vms.isLive(m.name()) && readiness.healthy(m.name());
    }

    /** Scale-down order: unparseable names first, then the highest index. */
    private static Comparator<VmRow> removalOrder(String d) {
        return Comparator.comparingInt((VmRow m) -> Names.replicaIndex(d, m.name()) == 0 ? 0 : 1)
                .thenComparing(Comparator.comparingInt((VmRow m) -> Names.replicaIndex(d, m.name())).reversed());
    }

    /**
     * EXTENSION A (control-plane.md §3.9): bounded steps while outdated members exist. Returns null once none is
     * left (the normal pass continues), else the pass result.
     */
    private Result rollout(GroupRow g, VmConfig template) {
        String name = g.name();
        Strategy st = Strategy.fromJson(g.strategyJson());
        Instant now = clock.instant();
        RolloutTrack t = rollouts.compute(name, (k, v) -> v == null || v.revision != g.revision() ? new RolloutTrack(g.revision(), now) : v);
        int desired = g.replicas();
        for (int step = 0; step < 4 * desired + 16; step++) {
            List<VmRow> members = vms.members(g.id());
            List<VmRow> cur = members.stream().filter(m -> isCurrent(g, m)).toList();
            List<VmRow> old = new ArrayList<>(members.stream().filter(m -> !isCurrent(g, m)).toList());
            if (old.isEmpty()) {
                return null;
            }
            int readyAll = (int) members.stream().filter(this::ready).count();
            int readyNew = (int) cur.stream().filter(this::ready).count();
            if (readyNew > t.readyNew) {
                t.readyNew = readyNew;
                t.lastProgress = now;
            }
            if (!t.failed && readyNew < desired && !now.isBefore(t.lastProgress.plus(PROGRESS_DEADLINE))) {
                t.failed = true;
                log.warn("deployment={} revision={} rollout failed: no new replica became ready for {}s", name,
                        g.revision(), PROGRESS_DEADLINE.toSeconds());
            }
            // 1. too many members (after a scale-down): remove, outdated first
            if (cur.size() + old.size() > desired + st.maxSurge()) {
                List<VmRow> order = new ArrayList<>(old);
                order.sort(removalOrder(name));
                List<VmRow> rest = new ArrayList<>(cur);
                rest.sort(removalOrder(name));
                order.addAll(rest);
                vms.destroy(order.get(0).name(), false);
                continue;
            }
            // 2. create current-revision replicas within the surge
            if (!t.failed && cur.size() < desired && cur.size() + old.size() < desired + st.maxSurge()) {
                java.util.Set<Integer> taken = new HashSet<>();
                members.forEach(m -> taken.add(Names.replicaIndex(name, m.name())));
                int i = 1;
                while (taken.contains(i) || vms.find(Names.replicaName(name, i)).isPresent()) {
                    i++;
                }
                String vm = Names.replicaName(name, i);
                try {
                    vms.createReplica(vm, template, g.id(), g.revision());
                } catch (RuntimeException e) {
                    return Result.error("create " + vm + ": " + e.getMessage());
                }
                continue;
            }
            // 3. remove outdated members: not-ready ones always, ready ones within max_unavailable
            if (!t.failed) {
                old.sort(Comparator.comparingInt((VmRow m) -> ready(m) ? 1 : 0).thenComparing(removalOrder(name)));
                VmRow victim = old.get(0);
                if (!ready(victim) || readyAll - 1 >= desired - st.maxUnavailable()) {
                    vms.destroy(victim.name(), false);
                    continue;
                }
            }
            return Result.requeueAfter(Duration.ofSeconds(1)); // waiting for readiness (or failed: status only)
        }
        return Result.requeueAfter(Duration.ofSeconds(1));
    }

    /** The rollout state shown in the deployment JSON. */
    Rollout rolloutState(GroupRow g, List<VmRow> members) {
        long outdated = members.stream().filter(m -> !isCurrent(g, m)).count();
        long current = members.size() - outdated;
        if (outdated == 0 && current == g.replicas()) {
            return Rollout.COMPLETE;
        }
        RolloutTrack t = rollouts.get(g.name());
        if (t != null && t.revision == g.revision() && t.failed) {
            return new Rollout("failed", "revision " + g.revision() + ": no new replica became ready within "
                    + PROGRESS_DEADLINE.toSeconds() + "s");
        }
        return new Rollout("progressing", current + " of " + g.replicas() + " replicas at revision " + g.revision());
    }

    /** Stops workers and ticker; a running pass finishes. */
    @Override
    public void close() {
        running = false;
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
    }

    /** Outcome of one pass (style.md §2.11): done, requeue after a delay, or an error retried with backoff. */
    record Result(Duration requeueAfter, String error) {
        static Result done() {
            return new Result(null, null);
        }

        static Result requeueAfter(Duration d) {
            return new Result(d, null);
        }

        static Result error(String e) {
            return new Result(null, e == null ? "unknown error" : e);
        }
    }
}
