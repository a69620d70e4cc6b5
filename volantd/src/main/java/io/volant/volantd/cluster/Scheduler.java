package io.volant.volantd.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election and the scheduler (docs/cluster.md). Every node runs one; only the leader writes.
 *
 * <p>Election: the leader key {@code /volant/cluster/leader} holds {@code <node>/<lease>} under the leader's
 * membership lease, taken with a create-if-absent transaction. A leader therefore loses the key exactly when its
 * membership ends (killed, cut off past the TTL, deregistered), and any node takes it at its next pass.
 *
 * <p>A pass is level-triggered and idempotent: read the deployments, members, drained nodes and assignments,
 * compute the {@link Placement}, and write the difference to {@code /volant/cluster/assignments/<deployment>/<index>}
 * in transactions guarded by the leader key's value, so a deposed leader's late write fails. At most
 * {@link #MAX_OPS} keys change per pass (one transaction); the passes run until nothing is left, at most
 * {@link #MAX_PASSES} per trigger. Triggers: a watch on {@code /volant/cluster/} and a periodic resync.
 */
public final class Scheduler implements AutoCloseable {
    static final String PREFIX = "/volant/cluster/";
    static final String LEADER = PREFIX + "leader";
    static final String DEPLOYMENTS = PREFIX + "deployments/";
    static final String ASSIGNMENTS = PREFIX + "assignments/";
    static final String DRAINED = PREFIX + "drained/";
    static final int MAX_OPS = 100;
    static final int MAX_PASSES = 20;
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final ClusterStore store;
    private final String node;
    private final LongSupplier lease;
    private final Supplier<List<Node>> nodes;
    private final ObjectMapper json = new ObjectMapper();
    private final WatchLoop loop = new WatchLoop("cluster-scheduler", this::drain);
    private boolean leader;
    private boolean failing;
    private List<String> lastUnplaced = List.of();

    /** What one pass did: whether this node leads, how many keys it changed, which replicas found no node. */
    public record Pass(boolean leader, int changes, List<String> unplaced) {}

    /**
     * @param lease this node's membership lease, 0 while it is not registered
     * @param nodes every member with its state ({@link Membership#nodes()})
     */
    public Scheduler(ClusterStore store, String node, LongSupplier lease, Supplier<List<Node>> nodes) {
        this.store = store;
        this.node = node;
        this.lease = lease;
        this.nodes = nodes;
    }

    /** Watches the cluster's keys and resyncs every {@code resync}; passes run on the scheduler's thread. */
    public Scheduler start(Duration resync) {
        loop.start(store, PREFIX, Duration.ZERO, resync);
        return this;
    }

    /** Queues passes (coalesced: one waits at most). */
    public void trigger() {
        loop.trigger();
    }

    private void drain() {
        try {
            for (int i = 0; i < MAX_PASSES && pass().changes() >= MAX_OPS; i++) {
                // a full transaction: more may be left
            }
            if (failing) {
                failing = false;
                log.atInfo().addKeyValue("node", node).log("scheduler reaches the cluster store again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.atWarn().addKeyValue("node", node).addKeyValue("error", e.getMessage())
                        .log("scheduler pass failed, retrying on the next trigger");
            }
        }
    }

    /** One pass on the calling thread; throws {@link ClusterStoreException} when the store cannot be reached. */
    public synchronized Pass pass() {
        if (!elect()) {
            return new Pass(false, 0, List.of());
        }
        Map<String, Map<Integer, String>> current = assignments();
        Placement.Plan plan = Placement.plan(deployments(), nodes.get(), current);
        Map<String, String> puts = new LinkedHashMap<>();
        List<String> deletes = new ArrayList<>();
        current.forEach((d, byIndex) -> byIndex.forEach((i, n) -> {
            if (!n.equals(plan.assignments().getOrDefault(d, Map.of()).get(i)) && puts.size() + deletes.size() < MAX_OPS) {
                deletes.add(key(d, i));
            }
        }));
        plan.assignments().forEach((d, byIndex) -> byIndex.forEach((i, n) -> {
            if (!n.equals(current.getOrDefault(d, Map.of()).get(i)) && puts.size() + deletes.size() < MAX_OPS) {
                deletes.remove(key(d, i));
                puts.put(key(d, i), n);
            }
        }));
        if (!plan.unplaced().equals(lastUnplaced) && !plan.unplaced().isEmpty()) {
            log.atWarn().addKeyValue("replicas", plan.unplaced().size()).addKeyValue("first", plan.unplaced().getFirst())
                    .log("no eligible node has room for some replicas");
        }
        lastUnplaced = plan.unplaced();
        if (puts.isEmpty() && deletes.isEmpty()) {
            return new Pass(true, 0, plan.unplaced());
        }
        if (!store.commitIf(LEADER, token(), puts, deletes)) {
            lost();
            return new Pass(false, 0, List.of());
        }
        log.atInfo().addKeyValue("node", node).addKeyValue("assigned", puts.size()).addKeyValue("removed", deletes.size())
                .log("scheduler pass wrote assignments");
        return new Pass(true, puts.size() + deletes.size(), plan.unplaced());
    }

    /** Whether this node holds the leader key, taking it when it is free. */
    private boolean elect() {
        if (lease.getAsLong() == 0) {
            lost();
            return false;
        }
        String token = token();
        String holder = store.scan(LEADER).get(LEADER);
        if (holder == null && store.create(LEADER, token, lease.getAsLong())) {
            holder = token;
        }
        if (!token.equals(holder)) {
            lost();
            return false;
        }
        if (!leader) {
            leader = true;
            log.atInfo().addKeyValue("node", node).addKeyValue("token", token).log("elected scheduler leader");
        }
        return true;
    }

    private void lost() {
        if (leader) {
            leader = false;
            log.atWarn().addKeyValue("node", node).log("no longer the scheduler leader");
        }
    }

    private String token() {
        return node + "/" + Long.toHexString(lease.getAsLong());
    }

    /** The current leader's node name, empty when there is none. */
    public java.util.Optional<String> leader() {
        String holder = store.scan(LEADER).get(LEADER);
        return java.util.Optional.ofNullable(holder).map(h -> h.substring(0, h.lastIndexOf('/')));
    }

    private List<PlacementSpec> deployments() {
        List<PlacementSpec> out = new ArrayList<>();
        store.scan(DEPLOYMENTS).forEach((k, v) -> {
            String name = k.substring(DEPLOYMENTS.length());
            try {
                out.add(PlacementSpec.parse(json, name, v));
            } catch (IOException e) {
                log.atWarn().addKeyValue("deployment", name).log("skipping unreadable cluster deployment record");
            }
        });
        return out;
    }

    /** Deployment → index → node, as stored; keys that do not parse are ignored. */
    Map<String, Map<Integer, String>> assignments() {
        return parseAssignments(store.scan(ASSIGNMENTS));
    }

    static Map<String, Map<Integer, String>> parseAssignments(Map<String, String> keys) {
        Map<String, Map<Integer, String>> out = new HashMap<>();
        keys.forEach((k, n) -> {
            String rest = k.substring(ASSIGNMENTS.length());
            int slash = rest.lastIndexOf('/');
            try {
                out.computeIfAbsent(rest.substring(0, Math.max(0, slash)), d -> new TreeMap<>())
                        .put(Integer.parseInt(rest.substring(slash + 1)), n);
            } catch (NumberFormatException e) {
                // not an assignment key
            }
        });
        return out;
    }

    static String key(String deployment, int index) {
        return ASSIGNMENTS + deployment + "/" + index;
    }

    @Override
    public void close() {
        loop.close();
    }
}
