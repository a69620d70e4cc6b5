package io.volant.volantd.cluster;

import io.volant.volantd.deployment.ReplicaIndices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the assignments (docs/cluster.md): the replica indices the scheduler assigned to this node,
 * as {@link ReplicaIndices} for the local deployment controller, with <b>fencing</b>.
 *
 * <p>{@link #refresh()} reads the assignments; it runs on a watch and every beat. When the store cannot be read the
 * node keeps its last known indices (it learns of no new work, so it takes none) until {@code grace} has passed
 * since the last successful read; then it is <em>fenced</em>: every set is empty, so the controller stops and
 * removes its replicas. The grace is shorter than the membership TTL, after which the leader re-places them, so a
 * partition never leaves one replica name running on two nodes past the grace. The first successful read ends the
 * fence. {@code changed} is called with every deployment whose indices changed (to enqueue a pass); it must not
 * block.
 */
public final class NodeAssignments implements ReplicaIndices, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAssignments.class);

    private final ClusterStore store;
    private final String node;
    private final Clock clock;
    private final Duration grace;
    private final Consumer<String> changed;
    private volatile Map<String, SortedSet<Integer>> mine = Map.of();
    private volatile boolean fenced;
    private volatile Instant lastRead;
    /** Reads run here; the fence clock on its own thread, so a read blocked on an unreachable store cannot delay it. */
    private final WatchLoop reader = new WatchLoop("cluster-assignments", this::refresh);
    private final java.util.concurrent.ScheduledExecutorService fence = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().name("cluster-fence").daemon().factory());

    public NodeAssignments(ClusterStore store, String node, Clock clock, Duration grace, Consumer<String> changed) {
        this.store = store;
        this.node = node;
        this.clock = clock;
        this.grace = grace;
        this.changed = changed;
        this.lastRead = clock.instant();
    }

    /**
     * Reads on every change of the assignments (a watch) and every {@code period}, and checks the fence every
     * {@code period} too; {@code period} should be well under the grace.
     */
    public NodeAssignments start(Duration period) {
        refresh(); // the last read may be older than the grace by now (start-up), which would fence at once
        reader.start(store, Scheduler.ASSIGNMENTS, period, period);
        fence.scheduleWithFixedDelay(this::expire, period.toMillis(), period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return this;
    }

    /** The fencing grace for a membership lease of {@code ttl}: half of it (docs/cluster.md). */
    public static Duration graceFor(Duration ttl) {
        return ttl.dividedBy(2);
    }

    @Override
    public SortedSet<Integer> of(String deployment, int replicas) {
        if (fenced) {
            return Collections.emptySortedSet();
        }
        return mine.getOrDefault(deployment, Collections.emptySortedSet());
    }

    /** True while this node is fenced (cut off from the store for longer than the grace). */
    public boolean fenced() {
        return fenced;
    }

    /**
     * Fences the node when its last successful read is older than the grace; called after a failed read and on
     * the fence clock, never blocks.
     */
    public void expire() {
        Duration since = Duration.between(lastRead, clock.instant());
        if (!fenced && since.compareTo(grace) > 0) {
            fenced = true;
            log.atWarn().addKeyValue("node", node).addKeyValue("since_ms", since.toMillis())
                    .addKeyValue("grace_ms", grace.toMillis())
                    .log("cut off from the cluster store past the fencing grace: stopping this node's replicas");
            mine.keySet().forEach(changed);
        }
    }

    @Override
    public void close() {
        reader.close();
        fence.shutdownNow();
    }

    /** Reads this node's assignments, or fences the node when the store has been unreadable past the grace. */
    public synchronized void refresh() {
        Map<String, SortedSet<Integer>> next = new java.util.TreeMap<>();
        try {
            Scheduler.parseAssignments(store.scan(Scheduler.ASSIGNMENTS)).forEach((d, byIndex) -> byIndex.forEach((i, n) -> {
                if (n.equals(node)) {
                    next.computeIfAbsent(d, k -> new TreeSet<>()).add(i);
                }
            }));
        } catch (ClusterStoreException e) {
            expire();
            return;
        }
        lastRead = clock.instant();
        Set<String> touched = new HashSet<>();
        if (fenced) {
            fenced = false;
            log.atInfo().addKeyValue("node", node).log("cluster store reachable again: fence lifted");
            touched.addAll(mine.keySet());
            touched.addAll(next.keySet());
        }
        Map<String, SortedSet<Integer>> before = mine;
        before.forEach((d, s) -> {
            if (!s.equals(next.get(d))) {
                touched.add(d);
            }
        });
        next.forEach((d, s) -> {
            if (!s.equals(before.get(d))) {
                touched.add(d);
            }
        });
        mine = Map.copyOf(next);
        touched.forEach(changed);
    }
}
