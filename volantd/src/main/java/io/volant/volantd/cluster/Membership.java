package io.volant.volantd.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.errors.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership of this volantd (docs/cluster.md). Two keys per node: {@code /volant/cluster/members/<name>}
 * holds its {@link Node} record without a lease (so the others remember it once it dies), and
 * {@code /volant/cluster/alive/<name>} lives under the node's lease, kept alive every third of the TTL. A node is
 * {@code ready} while its alive key exists and {@code down} after its lease expired.
 *
 * <p>{@link #tick()} is level-triggered and idempotent: keep the lease alive or grant a new one when it was lost
 * (expired during a partition, etcd restored), take the alive key if it is not ours yet (only when no other live
 * volantd holds the name), then write both keys again. A failing tick is logged once per outage
 * and retried on the next one. {@link #close()} deregisters (deletes both keys, revokes the lease).
 */
public final class Membership implements NodeDirectory {
    static final String MEMBERS = "/volant/cluster/members/";
    static final String ALIVE = "/volant/cluster/alive/";
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final ClusterStore store;
    private final LocalNode local;
    private final Duration ttl;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("cluster-heartbeat").daemon().factory());
    private final List<AutoCloseable> companions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ClusterVms vms;
    private String writtenVms;
    private long lease;
    private boolean owned;
    private boolean failing;
    private boolean conflict;

    public Membership(ClusterStore store, LocalNode local, Duration ttl) {
        this.store = store;
        this.local = local;
        this.ttl = ttl;
        this.vms = new ClusterVms(store, local.name(), local::vms);
    }

    /** Registers now (best effort: an unreachable etcd is retried by the heartbeat) and starts the heartbeat. */
    public Membership start() {
        tick();
        long period = Math.max(200, ttl.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Closes {@code c} (the scheduler) when this membership ends, before the store closes. */
    public Membership attach(AutoCloseable c) {
        companions.add(c);
        return this;
    }

    private void closeCompanions() {
        for (AutoCloseable c : companions) {
            try {
                c.close();
            } catch (Exception e) {
                log.atWarn().addKeyValue("error", e.getMessage()).log("closing a cluster companion failed");
            }
        }
    }

    /** One heartbeat; never throws. Returns whether this node is registered under a live lease afterwards. */
    public synchronized boolean tick() {
        String name = local.name();
        try {
            if (lease == 0 || !store.keepAlive(lease)) {
                if (lease != 0) {
                    log.atWarn().addKeyValue("node", name).addKeyValue("lease", Long.toHexString(lease))
                            .log("membership lease lost, registering again");
                }
                lease = store.grant(ttl);
                owned = false;
                writtenVms = null;
            }
            Node self = local.snapshot();
            if (!owned && !claim(name, self.url())) {
                return false;
            }
            store.put(ALIVE + name, self.url(), lease);
            store.put(MEMBERS + name, json.writeValueAsString(self), 0);
            String list = vms.encode(local.vms());
            if (!list.equals(writtenVms)) { // written when changed: at most once a beat
                store.put(ClusterVms.PREFIX + name, list, lease);
                writtenVms = list;
            }
            if (failing) {
                log.atInfo().addKeyValue("node", name).log("cluster store reachable again");
                failing = false;
            }
            return true;
        } catch (JsonProcessingException | RuntimeException e) {
            if (!failing) {
                log.atWarn().addKeyValue("node", name).addKeyValue("error", e.getMessage())
                        .log("cluster heartbeat failed, retrying every beat");
                failing = true;
            }
            return false;
        }
    }

    /**
     * Takes the alive key for this node's name under the current lease. It fails while another live volantd holds
     * the name (a duplicate {@code VOLANT_NODE_NAME}, or this node's previous process before its lease ran out):
     * nothing is written then, and the next beats try again.
     */
    private boolean claim(String name, String url) {
        owned = store.create(ALIVE + name, url, lease);
        if (owned) {
            conflict = false;
            log.atInfo().addKeyValue("node", name).addKeyValue("lease", Long.toHexString(lease))
                    .addKeyValue("ttl_s", ttl.toSeconds()).log("cluster membership registered");
        } else if (!conflict) {
            conflict = true;
            log.atWarn().addKeyValue("node", name).addKeyValue("holder", store.scan(ALIVE + name).get(ALIVE + name))
                    .log("node name held by another live volantd; waiting for its lease to expire");
        }
        return owned;
    }

    /** This node's lease while it holds its alive key, else 0 (not registered, or the name is held elsewhere). */
    public synchronized long lease() {
        return owned ? lease : 0;
    }

    @Override
    public List<Node> nodes() {
        Map<String, String> members;
        Map<String, String> alive;
        Map<String, String> drained;
        try {
            members = store.scan(MEMBERS);
            alive = store.scan(ALIVE);
            drained = store.scan(Scheduler.DRAINED);
        } catch (ClusterStoreException e) {
            throw new UnavailableException("cluster store unreachable: " + e.getMessage(), e);
        }
        List<Node> out = new ArrayList<>();
        for (Map.Entry<String, String> m : members.entrySet()) {
            String name = m.getKey().substring(MEMBERS.length());
            try {
                Node n = json.readValue(m.getValue(), Node.class);
                out.add(n.withState(alive.containsKey(ALIVE + name) ? Node.READY : Node.DOWN,
                        !drained.containsKey(Scheduler.DRAINED + name)));
            } catch (JsonProcessingException e) {
                log.atWarn().addKeyValue("node", name).addKeyValue("error", e.getOriginalMessage())
                        .log("skipping unreadable member record");
            }
        }
        return out;
    }

    @Override
    public io.volant.volantd.deployment.Deployments deployments(io.volant.volantd.deployment.DeploymentService localDeployments) {
        return new ClusterDeployments(store, localDeployments, vms::snapshot, java.time.Clock.systemUTC());
    }

    @Override
    public java.util.Optional<List<com.fasterxml.jackson.databind.node.ObjectNode>> clusterVms() {
        return java.util.Optional.of(vms.snapshot().all());
    }

    @Override
    public Node drain(String node, boolean drain) {
        Node n = nodes().stream().filter(x -> x.name().equals(node)).findFirst()
                .orElseThrow(() -> new io.volant.volantd.errors.NotFoundException("node " + node + " not found"));
        try {
            if (drain) {
                store.put(Scheduler.DRAINED + node, "drained", 0);
            } else {
                store.delete(Scheduler.DRAINED + node);
            }
        } catch (ClusterStoreException e) {
            throw new UnavailableException("cluster store unreachable: " + e.getMessage(), e);
        }
        log.atInfo().addKeyValue("node", node).addKeyValue("drained", drain).log("node scheduling changed");
        return n.withState(n.state(), !drain);
    }

    /** Clean shutdown: stops the heartbeat, deletes this node's keys, revokes its lease, closes the store. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        closeCompanions();
        synchronized (this) {
            try {
                if (owned) { // never deregister a name another volantd holds
                    store.delete(MEMBERS + local.name());
                    store.delete(ALIVE + local.name());
                    store.delete(ClusterVms.PREFIX + local.name());
                }
                if (lease != 0) {
                    store.revoke(lease);
                }
                log.atInfo().addKeyValue("node", local.name()).log("cluster membership deregistered");
            } catch (ClusterStoreException e) {
                log.atWarn().addKeyValue("node", local.name()).addKeyValue("error", e.getMessage())
                        .log("deregistration failed; the lease expires on its own");
            } finally {
                store.close();
            }
        }
    }

    /** Stops the heartbeat and the client without deregistering: the lease runs out as if the process died. */
    @Override
    public void halt() {
        heartbeat.shutdownNow();
        closeCompanions();
        synchronized (this) {
            store.close();
        }
    }

    /**
     * Connects to the etcd of {@code settings} (cluster mode only: a single host never loads jetcd), over TLS and
     * as etcd's user ({@link EtcdTls}) when its endpoints are {@code https://}; a handshake or a user etcd rejects
     * fails here.
     */
    public static ClusterStore connect(io.volant.volantd.config.ClusterSettings settings) {
        Duration timeout = Duration.ofSeconds(5);
        var access = EtcdTls.access(settings);
        if (settings.etcdHttps()) {
            EtcdTls.check(settings.etcdEndpoints(), access, timeout);
        }
        return new EtcdClusterStore(settings.etcdEndpoints(), timeout, access);
    }

    /**
     * Builds the directory: the local node alone when {@code store} is null (single host), else etcd membership
     * (started) with this node's {@link Scheduler} (which writes only while this node is the elected leader), its
     * assignments (started: read, watched, fenced) and its copy of the cluster deployments ({@link DeploymentMirror}).
     * The membership owns {@code store} and {@code assignments} from here on and closes them.
     */
    public static NodeDirectory open(io.volant.volantd.config.ClusterSettings settings, LocalNode local, ClusterStore store,
                                     NodeAssignments assignments, io.volant.volantd.deployment.DeploymentService deployments) {
        if (store == null) {
            return local;
        }
        Membership m = new Membership(store, local, settings.leaseTtl()).start();
        m.attach(assignments.start(refreshPeriod(settings.leaseTtl())));
        m.attach(new DeploymentMirror(store, deployments).start(settings.leaseTtl()));
        return m.attach(new Scheduler(store, local.name(), m::lease, m::nodes).start(settings.leaseTtl()));
    }

    /** How often a node reads its assignments and checks its fence: a tenth of the TTL, so well within the grace. */
    static Duration refreshPeriod(Duration ttl) {
        return Duration.ofMillis(Math.max(100, ttl.toMillis() / 10));
    }
}
