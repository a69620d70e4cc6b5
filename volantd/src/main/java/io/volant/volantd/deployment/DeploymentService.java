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
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments (control-plane.md §3). Create, scale, update and delete hold the deployment's lock (lock order
 * deployment → VM), write the desired state and run one bounded controller pass before answering; the controller
 * converges the rest. Thread-safe; concurrent requests apply in arrival order (fair lock), the last one wins.
 * Rollout history, undo, pause and resume are in {@link RolloutService}.
 */
public final class DeploymentService implements Deployments {
    private static final Logger log = LoggerFactory.getLogger(DeploymentService.class);

    private final Store store;
    private final VmService vms;
    private final PluginRegistry plugins;
    private final DeploymentController controller;
    private final NamedLocks locks;
    private final Clock clock;
    private final RolloutService rollouts;
    private volatile ExposeGuard exposeGuard = ExposeGuard.NONE;

    public DeploymentService(Store store, VmService vms, PluginRegistry plugins, DeploymentController controller,
                             NamedLocks deploymentLocks, Clock clock) {
        this.store = store;
        this.vms = vms;
        this.plugins = plugins;
        this.controller = controller;
        this.locks = deploymentLocks;
        this.clock = clock;
        this.rollouts = new RolloutService(store, this, controller, deploymentLocks, clock);
    }

    /** The controller's counters for {@code /metrics}: passes, failed passes, time in passes, queue depth. */
    public ControllerStats stats() {
        return new ControllerStats(controller.passes(), controller.errors(), controller.passTime(), controller.queueDepth());
    }

    /** A snapshot of the controller's counters. */
    public record ControllerStats(long passes, long errors, java.time.Duration passTime, int queueDepth) {}

    /** History, undo, pause, resume. */
    @Override
    public RolloutService rollouts() {
        return rollouts;
    }

    /** The port publisher registers here: a template's {@code expose} may not take another owner's port. */
    public void setExposeGuard(ExposeGuard g) {
        this.exposeGuard = g;
    }

    /** 400 name/replicas/config/strategy, 409 exists, plugin disabled or a taken port. Returns the state after one pass. */
    public Deployment create(String name, int replicas, VmConfig config) {
        return create(name, replicas, config, null);
    }

    /** As {@link #create(String, int, VmConfig)} with a strategy (null = defaults). */
    @Override
    public Deployment create(String name, int replicas, VmConfig config, Strategy strategy) {
        Spec spec = validateCreate(name, replicas, config, strategy);
        String n = spec.name();
        String json = spec.configJson();
        String strategyJson = spec.strategyJson();
        try (NamedLocks.Held _ = locks.lock(n)) {
            store.write(tx -> {
                if (tx.groups().getByName(n).isPresent()) {
                    throw new ConflictException("orchestrator: deployment already exists: " + n);
                }
                Bounds.deploymentFits(replicas, tx.vms().count(), vms.limits());
                long id = tx.groups().create(n, json, replicas, strategyJson);
                tx.revisions().insert(id, 1, Revisions.digest(json), json, "create");
                tx.groups().updateRollout(id, RolloutState.initial(1, clock.instant()).toJson());
                return id;
            });
            log.info("deployment created deployment={} replicas={}", n, replicas);
        }
        controller.awaitPass(n); // after the lock is released: the worker's pass takes it
        return get(n);
    }

    /**
     * A validated desired state: the trimmed name, replicas (null = unchanged), the normalized template and its
     * JSON (null = unchanged), the strategy's JSON (null = unchanged or defaults).
     */
    public record Spec(String name, Integer replicas, VmConfig template, String configJson, String strategyJson) {}

    /** The checks of create (name, replicas, strategy, config, limits, published ports); 400/404/409 as create. */
    public Spec validateCreate(String name, int replicas, VmConfig config, Strategy strategy) {
        String n = trim(name);
        Names.checkDeploymentName(n);
        return validate(n, replicas, config, strategy, true);
    }

    /** The checks of update; at least one of replicas, config, strategy (400 {@code replicas is required}). */
    public Spec validateUpdate(String name, Integer replicas, VmConfig config, Strategy strategy) {
        if (replicas == null && config == null && strategy == null) {
            throw new InvalidArgumentException("replicas is required");
        }
        return validate(trim(name), replicas, config, strategy, false);
    }

    private Spec validate(String n, Integer replicas, VmConfig config, Strategy strategy, boolean configRequired) {
        if (replicas != null && replicas < 0) {
            throw new InvalidArgumentException("orchestrator: replicas must be >= 0");
        }
        String strategyJson = strategy == null ? null : strategy.validated().toJson();
        if (replicas != null) {
            Bounds.replicas(replicas, vms.limits());
        }
        VmConfig normalized = config == null && !configRequired ? null : DeploymentConfigs.normalize(config, plugins);
        if (normalized != null) {
            vms.validate(normalized); // what a VM create would reject, with its messages
            exposeGuard.check("deployment", n, normalized.expose());
        }
        return new Spec(n, replicas, normalized, normalized == null ? null : VmConfigCodec.toJsonString(normalized),
                strategyJson);
    }

    /** The digest that tells revisions apart: SHA-256 of the normalized template with sorted keys. */
    public static String digest(VmConfig normalized) {
        return Revisions.digest(VmConfigCodec.toJsonString(normalized));
    }

    /** Ordered by name; members are read with one query. */
    @Override
    public List<Deployment> list() {
        List<GroupRow> groups = store.read(tx -> tx.groups().list());
        Map<Long, List<VmRow>> byGroup = new HashMap<>();
        for (VmRow v : store.vmRows()) {
            if (v.groupId() != null) {
                byGroup.computeIfAbsent(v.groupId(), k -> new ArrayList<>()).add(v);
            }
        }
        List<Deployment> out = new ArrayList<>(groups.size());
        for (GroupRow g : groups) {
            out.add(controller.status().build(g, byGroup.getOrDefault(g.id(), List.of())));
        }
        return out;
    }

    /** 404 {@code orchestrator: deployment not found: <name>}. */
    @Override
    public Deployment get(String name) {
        GroupRow g = group(trim(name));
        return controller.status().build(g, vms.members(g.id()));
    }

    /** 400 {@code orchestrator: replicas must be >= 0}, 404; returns the state after one pass. */
    public Deployment scale(String name, int replicas) {
        return update(name, replicas, null, null);
    }

    /**
     * {@code UpdateDeployment(name, replicas?, config?, strategy?)}: a config whose normalized form differs from the
     * current revision's moves the deployment to a revision (an earlier one with the same digest, else a new one),
     * rolled out by the controller; the same config changes nothing. At least one member must be present (400
     * {@code replicas is required}).
     */
    @Override
    public Deployment update(String name, Integer replicas, VmConfig config, Strategy strategy) {
        Spec spec = validateUpdate(name, replicas, config, strategy);
        String n = spec.name();
        String json = spec.configJson();
        String strategyJson = spec.strategyJson();
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = writable(n);
            int rev = store.write(tx -> {
                int r = g.revision();
                if (json != null) {
                    r = Revisions.moveTo(tx, g, json, "update", strategyJson, clock.instant());
                } else if (strategyJson != null) {
                    tx.groups().updateConfig(g.id(), g.configJson(), g.revision(), strategyJson);
                }
                if (replicas != null) {
                    growthFits(tx, g, replicas);
                    tx.groups().updateReplicas(g.id(), replicas);
                }
                return r;
            });
            log.info("deployment updated deployment={} replicas={} revision={}", n, replicas == null ? g.replicas() : replicas, rev);
        }
        controller.awaitPass(n); // after the lock is released: the worker's pass takes it
        return get(n);
    }

    /** 409 when growing {@code g} to {@code replicas} would exceed the total VM limit; shrinking always passes. */
    private void growthFits(io.volant.volantd.store.Tx tx, GroupRow g, int replicas) throws java.sql.SQLException {
        if (replicas > g.replicas()) {
            int others = tx.vms().count() - tx.vms().listByGroup(g.id()).size();
            Bounds.deploymentFits(replicas, others, vms.limits());
        }
    }

    /**
     * Records the delete intent (replicas 0, {@code deleting}), then runs the pass that destroys every member and
     * the group; a crash anywhere is finished by the controller after restart. When a member survives, 500
     * {@code orchestrator: delete deployment <name>: <n> replica(s) could not be destroyed} (the controller retries).
     */
    @Override
    public void delete(String name) {
        String n = trim(name);
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = group(n);
            store.write(tx -> {
                tx.groups().markDeleting(g.id());
                return null;
            });
            int left = Integer.MAX_VALUE;
            // Passes are bounded; go on while each one makes progress.
            while (store.read(tx -> tx.groups().getByName(n)).isPresent() && vms.members(g.id()).size() < left) {
                left = vms.members(g.id()).size();
                controller.reconcileNow(n);
            }
            if (store.read(tx -> tx.groups().getByName(n)).isPresent()) {
                left = vms.members(g.id()).size();
                throw new InternalException("orchestrator: delete deployment " + n + ": " + left
                        + " replica(s) could not be destroyed");
            }
            controller.forget(n);
        }
    }

    GroupRow group(String n) {
        return store.read(tx -> tx.groups().getByName(n))
                .orElseThrow(() -> new NotFoundException("orchestrator: deployment not found: " + n));
    }

    /** The group, 409 while its delete is in progress. */
    GroupRow writable(String n) {
        GroupRow g = group(n);
        if (g.deleting()) {
            throw new ConflictException("orchestrator: deployment " + n + " is being deleted");
        }
        return g;
    }

    static String trim(String name) {
        return name == null ? "" : name.trim();
    }
}
