package io.volant.volantd.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.deployment.Strategy;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's copy of the cluster deployments (docs/cluster.md): every record under
 * {@code /volant/cluster/deployments/} becomes a deployment of the node's local controller (SQLite), with the same
 * replicas, config and strategy, and a local deployment with no record is deleted. The local controller runs only
 * the indices assigned to this node ({@link NodeAssignments}), so the copy is how a node runs its share with the
 * single-host machinery. Level-triggered: a pass compares every record with the local state and acts on the
 * difference; it runs on a watch of the records and every {@code resync}. An unreachable store changes nothing
 * (fencing is {@link NodeAssignments}'s job). The local revision numbers are the node's own; the API shows the
 * cluster's.
 */
public final class DeploymentMirror implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeploymentMirror.class);

    private final ClusterStore store;
    private final DeploymentService local;
    private final ObjectMapper json = new ObjectMapper();
    private final WatchLoop loop = new WatchLoop("cluster-deployments", this::pass);
    private boolean failing;

    public DeploymentMirror(ClusterStore store, DeploymentService local) {
        this.store = store;
        this.local = local;
    }

    public DeploymentMirror start(Duration resync) {
        loop.start(store, ClusterDeployments.PREFIX, Duration.ZERO, resync);
        return this;
    }

    /** One pass on the calling thread; never throws. */
    public synchronized void pass() {
        Map<String, String> records;
        try {
            records = store.scan(ClusterDeployments.PREFIX);
            if (failing) {
                failing = false;
                log.atInfo().log("cluster deployments readable again");
            }
        } catch (ClusterStoreException e) {
            if (!failing) {
                failing = true;
                log.atWarn().addKeyValue("error", e.getMessage()).log("cannot read the cluster deployments, retrying");
            }
            return;
        }
        Map<String, DeploymentRecord> desired = new HashMap<>();
        records.forEach((k, v) -> {
            String name = k.substring(ClusterDeployments.PREFIX.length());
            try {
                desired.put(name, json.readValue(v, DeploymentRecord.class));
            } catch (JsonProcessingException e) {
                log.atWarn().addKeyValue("deployment", name).log("skipping unreadable cluster deployment record");
            }
        });
        desired.forEach(this::apply);
        for (Deployment d : local.list()) {
            if (!desired.containsKey(d.name())) {
                act(d.name(), "delete", () -> local.delete(d.name()));
            }
        }
    }

    private void apply(String name, DeploymentRecord r) {
        VmConfig config = VmConfigCodec.fromJson(r.config());
        Strategy strategy = r.strategy() == null ? null : Strategy.parse(r.strategy());
        Deployment d;
        try {
            d = local.get(name);
        } catch (NotFoundException e) {
            act(name, "create", () -> local.create(name, r.replicas(), config, strategy));
            return;
        }
        Integer replicas = d.desiredReplicas() == r.replicas() ? null : r.replicas();
        VmConfig changed = DeploymentService.digest(d.config()).equals(r.digest()) ? null : config;
        Strategy s = strategy == null || strategy.equals(d.strategy()) ? null : strategy;
        if (replicas != null || changed != null || s != null) {
            act(name, "update", () -> local.update(name, replicas, changed, s));
        }
    }

    private void act(String name, String what, Runnable r) {
        try {
            r.run();
            log.atInfo().addKeyValue("deployment", name).addKeyValue("action", what).log("local copy of a cluster deployment changed");
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("deployment", name).addKeyValue("action", what).addKeyValue("error", e.getMessage())
                    .log("cannot apply a cluster deployment locally, retrying on the next pass");
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
