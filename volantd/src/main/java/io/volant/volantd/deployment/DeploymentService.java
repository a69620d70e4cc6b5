package io.volant.volantd.deployment;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.Bounds;
import io.volant.volantd.vm.ExposeGuard;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.Names;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmConfigs;
import io.volant.volantd.vm.VmService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments (control-plane.md §3). Create, scale and delete hold the deployment's lock (lock order deployment →
 * VM); create and scale run one controller pass before answering, the controller keeps members converged
 * afterwards. Thread-safe; concurrent scale requests are applied in arrival order (fair lock), so the last
 * accepted target wins.
 */
public final class DeploymentService {
    private static final Logger log = LoggerFactory.getLogger(DeploymentService.class);

    private final Store store;
    private final VmService vms;
    private final PluginRegistry plugins;
    private final DeploymentController controller;
    private final NamedLocks locks;
    private final ReadinessProbe readiness;
    private volatile ExposeGuard exposeGuard = ExposeGuard.NONE;

    public DeploymentService(Store store, VmService vms, PluginRegistry plugins, DeploymentController controller,
                             NamedLocks deploymentLocks, ReadinessProbe readiness) {
        this.store = store;
        this.vms = vms;
        this.plugins = plugins;
        this.controller = controller;
        this.locks = deploymentLocks;
        this.readiness = readiness;
    }

    /** The port publisher registers here: a template's {@code expose} may not take another owner's port. */
    public void setExposeGuard(ExposeGuard g) {
        this.exposeGuard = g;
    }

    /** 400 name/replicas/config, 409 exists, plugin disabled or a taken port. Returns the state after one pass. */
    public Deployment create(String name, int replicas, VmConfig config) {
        String n = name == null ? "" : name.trim();
        Names.checkDeploymentName(n);
        if (replicas < 0) {
            throw new InvalidArgumentException("orchestrator: replicas must be >= 0");
        }
        Bounds.replicas(replicas, vms.limits());
        VmConfig template = DeploymentConfigs.normalize(config, plugins);
        Bounds.resources(template, vms.limits());
        exposeGuard.check("deployment", n, template.expose());
        String json = VmConfigCodec.toJsonString(template);
        try (NamedLocks.Held _ = locks.lock(n)) {
            store.write(tx -> {
                if (tx.groups().getByName(n).isPresent()) {
                    throw new ConflictException("orchestrator: deployment already exists: " + n);
                }
                Bounds.deploymentFits(replicas, tx.vms().count(), vms.limits());
                return tx.groups().create(n, json, replicas, null);
            });
            log.info("deployment created deployment={} replicas={}", n, replicas);
            controller.reconcileNow(n);
            return get(n);
        }
    }

    /** Ordered by name; members are read with one query. */
    public List<Deployment> list() {
        List<GroupRow> groups = store.read(tx -> tx.groups().list());
        List<VmRow> all = store.vmRows();
        Map<Long, List<VmRow>> byGroup = new HashMap<>();
        for (VmRow v : all) {
            if (v.groupId() != null) {
                byGroup.computeIfAbsent(v.groupId(), k -> new ArrayList<>()).add(v);
            }
        }
        List<Deployment> out = new ArrayList<>(groups.size());
        for (GroupRow g : groups) {
            out.add(build(g, byGroup.getOrDefault(g.id(), List.of())));
        }
        return out;
    }

    /** 404 {@code orchestrator: deployment not found: <name>}. */
    public Deployment get(String name) {
        String n = name == null ? "" : name.trim();
        GroupRow g = group(n);
        return build(g, vms.members(g.id()));
    }

    /** 400 {@code orchestrator: replicas must be >= 0}, 404; returns the state after one pass. */
    public Deployment scale(String name, int replicas) {
        if (replicas < 0) {
            throw new InvalidArgumentException("orchestrator: replicas must be >= 0");
        }
        Bounds.replicas(replicas, vms.limits());
        String n = name == null ? "" : name.trim();
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = group(n);
            store.write(tx -> {
                growthFits(tx, g, replicas);
                tx.groups().updateReplicas(g.id(), replicas);
                return null;
            });
            log.info("deployment scaled deployment={} replicas={}", n, replicas);
            controller.reconcileNow(n);
            return get(n);
        }
    }

    /**
     * EXTENSION A {@code UpdateDeployment(name, replicas?, config?, strategy?)}: a config that differs from the stored
     * one after normalization starts a new revision (rolled out by the controller); the same config changes
     * nothing. At least one member must be present (400 {@code replicas is required}).
     */
    public Deployment update(String name, Integer replicas, VmConfig config, Strategy strategy) {
        if (replicas == null && config == null && strategy == null) {
            throw new InvalidArgumentException("replicas is required");
        }
        if (replicas != null && replicas < 0) {
            throw new InvalidArgumentException("orchestrator: replicas must be >= 0");
        }
        if (replicas != null) {
            Bounds.replicas(replicas, vms.limits());
        }
        Strategy st = strategy == null ? null : strategy.validated();
        VmConfig normalized = config == null ? null : DeploymentConfigs.normalize(config, plugins);
        if (normalized != null) {
            Bounds.resources(normalized, vms.limits());
        }
        String json = normalized == null ? null : VmConfigCodec.toJsonString(normalized);
        String n = name == null ? "" : name.trim();
        if (normalized != null) {
            exposeGuard.check("deployment", n, normalized.expose());
        }
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = group(n);
            store.write(tx -> {
                String stored = VmConfigCodec.toJsonString(VmConfigs.normalize(VmConfigCodec.fromJsonString(g.configJson())));
                boolean changed = json != null && !json.equals(stored);
                String strategyJson = st != null ? st.toJson() : g.strategyJson();
                if (changed || st != null) {
                    tx.groups().updateConfig(g.id(), changed ? json : g.configJson(), changed ? g.revision() + 1 : g.revision(),
                            strategyJson);
                }
                if (replicas != null) {
                    growthFits(tx, g, replicas);
                    tx.groups().updateReplicas(g.id(), replicas);
                }
                return null;
            });
            controller.reconcileNow(n);
            return get(n);
        }
    }

    /** 409 when growing {@code g} to {@code replicas} would exceed the total VM limit; shrinking always passes. */
    private void growthFits(io.volant.volantd.store.Tx tx, GroupRow g, int replicas) throws java.sql.SQLException {
        if (replicas > g.replicas()) {
            int others = tx.vms().count() - tx.vms().listByGroup(g.id()).size();
            Bounds.deploymentFits(replicas, others, vms.limits());
        }
    }

    /**
     * Sets replicas to 0, destroys every member (which removes seeds and leases), then deletes the group; when a
     * member survives, 500 {@code orchestrator: delete deployment <name>: <n> replica(s) could not be destroyed}.
     */
    public void delete(String name) {
        String n = name == null ? "" : name.trim();
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = group(n);
            store.write(tx -> {
                tx.groups().updateReplicas(g.id(), 0);
                return null;
            });
            for (VmRow m : vms.members(g.id())) {
                try {
                    vms.destroy(m.name(), false);
                } catch (NotFoundException gone) {
                    // already destroyed
                } catch (RuntimeException e) {
                    log.warn("deployment={} vm={} destroy failed error={}", n, m.name(), e.getMessage());
                }
            }
            int left = vms.members(g.id()).size();
            if (left > 0) {
                throw new InternalException("orchestrator: delete deployment " + n + ": " + left
                        + " replica(s) could not be destroyed");
            }
            store.write(tx -> tx.groups().delete(g.id()));
            controller.forget(n);
            log.info("deployment deleted deployment={}", n);
        }
    }

    private GroupRow group(String n) {
        return store.read(tx -> tx.groups().getByName(n))
                .orElseThrow(() -> new NotFoundException("orchestrator: deployment not found: " + n));
    }

    private Deployment build(GroupRow g, List<VmRow> members) {
        int ready = 0;
        int updated = 0;
        for (VmRow m : members) {
            if (m.status().equals("running") && vms.isLive(m.name()) && readiness.healthy(m.name())) {
                ready++;
            }
            if (m.groupRevision() != null && m.groupRevision() == g.revision()) {
                updated++;
            }
        }
        VmConfig config;
        try {
            config = VmConfigs.normalize(VmConfigCodec.fromJsonString(g.configJson()));
        } catch (RuntimeException e) {
            throw new InternalException("orchestrator: decode deployment " + g.name() + " config: " + e.getMessage(), e);
        }
        return new Deployment(g.name(), g.replicas(), ready, config, g.createdAt(), g.updatedAt(), g.revision(), updated,
                controller.rolloutState(g, members), Strategy.fromJson(g.strategyJson()));
    }
}
