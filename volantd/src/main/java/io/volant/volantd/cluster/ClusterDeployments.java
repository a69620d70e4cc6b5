package io.volant.volantd.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.deployment.Deployments;
import io.volant.volantd.deployment.RolloutService;
import io.volant.volantd.deployment.Strategy;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.errors.UnavailableException;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment API in cluster mode (docs/cluster.md): the desired state lives in etcd under
 * {@code /volant/cluster/deployments/<name>} ({@link DeploymentRecord}), so any node answers for the cluster.
 * Requests are validated by the local {@link DeploymentService} (same checks, same error bodies as a single host);
 * updates are compare-and-set transactions on the record, retried when another node wrote it in between. The
 * scheduler places the replicas, and each node runs its share ({@link DeploymentMirror}, {@link NodeAssignments}).
 */
public final class ClusterDeployments implements Deployments {
    static final String PREFIX = Scheduler.DEPLOYMENTS;
    private static final int CAS_ATTEMPTS = 10;
    private static final Logger log = LoggerFactory.getLogger(ClusterDeployments.class);

    private final ClusterStore store;
    private final DeploymentService local;
    private final Supplier<ClusterVms.Snapshot> vms;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /** @param vms the cluster's VMs (status of the replicas) */
    public ClusterDeployments(ClusterStore store, DeploymentService local, Supplier<ClusterVms.Snapshot> vms, Clock clock) {
        this.store = store;
        this.local = local;
        this.vms = vms;
        this.clock = clock;
    }

    @Override
    public Deployment create(String name, int replicas, VmConfig config, Strategy strategy) {
        DeploymentService.Spec s = local.validateCreate(name, replicas, config, strategy);
        String now = clock.instant().toString();
        DeploymentRecord r = new DeploymentRecord(replicas, VmConfigCodec.toJson(s.template()), strategyNode(s.strategyJson()),
                1, DeploymentService.digest(s.template()), Map.of(), now, now);
        if (!reach(() -> store.create(PREFIX + s.name(), write(r), 0))) {
            throw new ConflictException("orchestrator: deployment already exists: " + s.name());
        }
        log.atInfo().addKeyValue("deployment", s.name()).addKeyValue("replicas", replicas).log("cluster deployment created");
        return view(s.name(), r, vms.get());
    }

    @Override
    public List<Deployment> list() {
        Map<String, String> all = reach(() -> store.scan(PREFIX));
        ClusterVms.Snapshot snapshot = vms.get();
        List<Deployment> out = new ArrayList<>(all.size());
        all.forEach((k, v) -> out.add(view(k.substring(PREFIX.length()), read(v), snapshot)));
        return out;
    }

    @Override
    public Deployment get(String name) {
        String n = trim(name);
        return view(n, read(raw(n)), vms.get());
    }

    @Override
    public Deployment update(String name, Integer replicas, VmConfig config, Strategy strategy) {
        DeploymentService.Spec s = local.validateUpdate(name, replicas, config, strategy);
        String n = s.name();
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String before = raw(n);
            DeploymentRecord r = read(before);
            String digest = s.template() == null ? r.digest() : DeploymentService.digest(s.template());
            boolean newConfig = !digest.equals(r.digest());
            DeploymentRecord next = new DeploymentRecord(replicas == null ? r.replicas() : replicas,
                    newConfig ? VmConfigCodec.toJson(s.template()) : r.config(),
                    s.strategyJson() == null ? r.strategy() : strategyNode(s.strategyJson()),
                    newConfig ? r.revision() + 1 : r.revision(), digest, r.nodeSelector(), r.createdAt(),
                    clock.instant().toString());
            if (reach(() -> store.commitIf(PREFIX + n, before, Map.of(PREFIX + n, write(next)), List.of()))) {
                log.atInfo().addKeyValue("deployment", n).addKeyValue("replicas", next.replicas())
                        .addKeyValue("revision", next.revision()).log("cluster deployment updated");
                return view(n, next, vms.get());
            }
        }
        throw new ConflictException("orchestrator: deployment " + n + " changed concurrently " + CAS_ATTEMPTS
                + " times, try again");
    }

    /** Deletes the record; every node then destroys its members and the scheduler drops the assignments. */
    @Override
    public void delete(String name) {
        String n = trim(name);
        raw(n);
        reach(() -> {
            store.delete(PREFIX + n);
            return null;
        });
        log.atInfo().addKeyValue("deployment", n).log("cluster deployment deleted");
    }

    @Override
    public RolloutService rollouts() {
        throw new ConflictException("rollout history, undo, pause and resume are not available in cluster mode yet "
                + "(docs/cluster.md)");
    }

    /** The stored record's JSON; 404 when there is none. */
    private String raw(String n) {
        String v = reach(() -> store.scan(PREFIX + n)).get(PREFIX + n);
        if (v == null) {
            throw new NotFoundException("orchestrator: deployment not found: " + n);
        }
        return v;
    }

    /** The API view: desired state from etcd, replica counts from the VMs every node reports. */
    private Deployment view(String name, DeploymentRecord r, ClusterVms.Snapshot snapshot) {
        List<Deployment.Member> members = snapshot.members(name, r.replicas());
        int ready = (int) members.stream().filter(Deployment.Member::running).count();
        String status = ready >= r.replicas() ? "Available" : "Progressing";
        Strategy strategy = r.strategy() == null ? Strategy.DEFAULT : Strategy.parse(r.strategy());
        return new Deployment(name, r.replicas(), ready, VmConfigCodec.fromJson(r.config()), instant(r.createdAt()),
                instant(r.updatedAt()), r.revision(), ready, ready, null, strategy, status, List.of(), members);
    }

    private DeploymentRecord read(String v) {
        try {
            return json.readValue(v, DeploymentRecord.class);
        } catch (JsonProcessingException e) {
            throw new InternalException("unreadable cluster deployment record: " + e.getOriginalMessage(), e);
        }
    }

    private String write(DeploymentRecord r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new InternalException("cluster deployment record: " + e.getOriginalMessage(), e);
        }
    }

    private com.fasterxml.jackson.databind.JsonNode strategyNode(String strategyJson) {
        try {
            return strategyJson == null ? null : json.readTree(strategyJson);
        } catch (JsonProcessingException e) {
            throw new InternalException("strategy: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static String trim(String name) {
        return name == null ? "" : name.trim();
    }

    /** Runs a store call; an unreachable store is a 503 {@code cluster store unreachable: ...}. */
    static <T> T reach(Supplier<T> call) {
        try {
            return call.get();
        } catch (ClusterStoreException e) {
            throw new UnavailableException("cluster store unreachable: " + e.getMessage(), e);
        }
    }
}
