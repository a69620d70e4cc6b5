package io.volant.volantd.deployment;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.IpAllocationRepository;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.Names;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass of one deployment (style.md §4), run under the deployment lock: finish a recorded delete; heal
 * members that should run; then bounded steps toward "exactly {@code <name>-1..n} at the current revision" within
 * the strategy (a creation never takes the members above desired + surge, a removal of an available member never
 * takes the available count below desired − unavailable); then the rollout status (complete, progress deadline,
 * auto-rollback) is persisted. At most {@link #CREATES_PER_PASS} creations per pass, then the pass requeues.
 */
final class DeploymentPass {
    private static final Logger log = LoggerFactory.getLogger(DeploymentPass.class);
    static final int CREATES_PER_PASS = 8;
    /** While a rollout waits for readiness (health verdicts do not enqueue passes). */
    static final Duration ROLLOUT_POLL = Duration.ofSeconds(1);

    private final Store store;
    private final VmService vms;
    private final PluginRegistry plugins;
    private final Clock clock;
    private final SelfHealing healing;
    private final Availability availability;
    private final ReplicaIndices indices;
    private final RolloutStatus rolloutStatus;
    private final RevisionConfigs configs;

    DeploymentPass(Store store, VmService vms, PluginRegistry plugins, Clock clock, SelfHealing healing,
                   Availability availability, ReplicaIndices indices, RevisionConfigs configs) {
        this.configs = configs;
        this.store = store;
        this.vms = vms;
        this.plugins = plugins;
        this.clock = clock;
        this.healing = healing;
        this.availability = availability;
        this.indices = indices;
        this.rolloutStatus = new RolloutStatus(store);
    }

    /** The outcome (style.md §2.11): done, requeue after a delay, an error retried with backoff. */
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

    Result run(String name) {
        Optional<GroupRow> og = store.read(tx -> tx.groups().getByName(name));
        if (og.isEmpty()) {
            return Result.done();
        }
        GroupRow g = og.get();
        if (g.deleting()) {
            return finishDelete(g);
        }
        Instant now = clock.instant();
        RolloutState loaded = RolloutState.fromJson(g.rolloutJson(), g.revision(), now);
        RolloutState state = loaded.revision() == g.revision() ? loaded : RolloutState.start(g.revision(), now, loaded);
        PassWork w = new PassWork(g, configs.template(g),
                Strategy.fromJson(g.strategyJson()), state, vms, availability, indices);
        w.refresh();
        List<String> problems = new ArrayList<>();
        w.sooner(healing.heal(name, w.m.all(), vms, availability.readiness(), problems));
        steps(w);
        w.refresh();
        healing.retain(name, w.m.all());
        handOverRoutes(w);
        Result r = rolloutStatus.update(w, now);
        if (!w.state.toJson().equals(loaded.toJson()) || g.rolloutJson() == null) {
            RolloutState s = w.state;
            store.write(tx -> {
                tx.groups().updateRollout(g.id(), s.toJson());
                return null;
            });
        }
        if (r != null) {
            return r;
        }
        if (w.error != null && !w.terminal) {
            return Result.error(w.error);
        }
        if (!problems.isEmpty()) {
            return Result.error(String.join("; ", problems));
        }
        if (w.creates >= CREATES_PER_PASS) {
            return Result.requeueAfter(Duration.ZERO); // bounded pass: the rest in the next one
        }
        if (!w.done() && !w.terminal) {
            w.sooner(ROLLOUT_POLL);
        }
        return w.next == null ? Result.done() : Result.requeueAfter(w.next);
    }

    /** Repeats single steps until none applies (or the creation cap or a failure stops it). */
    private void steps(PassWork w) {
        int limit = 4 * (w.m.desired() + w.m.all().size()) + 16;
        for (int i = 0; i < limit && w.error == null && w.creates < CREATES_PER_PASS; i++) {
            w.refresh();
            if (!step(w)) {
                return;
            }
        }
    }

    /** One step; false when nothing applies now. */
    private boolean step(PassWork w) {
        Members m = w.m;
        int desired = m.desired();
        int surge = w.st.surge(desired);
        int floor = desired - w.st.unavailable(desired);
        int total = m.all().size();
        List<VmRow> cur = m.currentOnes();
        List<VmRow> old = m.outdated();
        boolean rolling = !w.state.status().equals(RolloutState.COMPLETE);
        boolean moving = !w.state.paused() && !w.state.status().equals(RolloutState.FAILED);
        int available = w.availableCount();

        // 0. a member holding an index the scheduler gave another node goes first, whatever it costs: keeping it
        //    would run one replica name twice in the cluster (never on a single host, which runs every index)
        Optional<VmRow> foreign = m.foreign(w.g.replicas()).stream().findFirst();
        if (foreign.isPresent()) {
            return destroy(w, foreign.get(), "assigned to another node");
        }
        // 1. more members than desired + surge (a scale-down): remove, outdated and not-ready ones first
        if (total > desired + surge) {
            return destroy(w, byRemovalPreference(w, old, cur).getFirst(), "scale down");
        }
        // 2. more current members than desired: the highest index goes; during a rollout only within availability
        if (cur.size() > desired) {
            VmRow victim = cur.stream().sorted(m.removalOrder()).findFirst().orElseThrow();
            if (!rolling || !w.available(victim) || available - 1 >= floor) {
                return destroy(w, victim, "scale down");
            }
        }
        // 3. an outdated member that is not available goes first: removing it costs no availability
        if (moving) {
            Optional<VmRow> down = old.stream().filter(r -> !w.available(r)).min(m.removalOrder());
            if (down.isPresent()) {
                return destroy(w, down.get(), "rollout");
            }
        }
        // 4. create: a gap always; beyond that (replacing outdated or misplaced members) only while moving
        boolean gap = total < desired;
        if ((gap || moving && total < desired + surge && (cur.size() < desired || rolling && w.renameNeeded()))) {
            return create(w);
        }
        if (!moving) {
            return false;
        }
        // 5. remove an outdated member (or, with no room to surge, a misplaced one): not-available ones always,
        //    available ones while the available count stays at or above desired − unavailable
        List<VmRow> candidates = new ArrayList<>(old);
        if (old.isEmpty() && total >= desired + surge && rolling && w.renameNeeded()) {
            candidates.addAll(m.misplaced());
        }
        if (candidates.isEmpty()) {
            return false;
        }
        VmRow victim = byRemovalPreference(w, candidates, List.of()).getFirst();
        if (!w.available(victim) || available - 1 >= floor) {
            return destroy(w, victim, "rollout");
        }
        return false;
    }

    /** Not-available first, then {@code first} before {@code then}, then the spec's removal order. */
    private List<VmRow> byRemovalPreference(PassWork w, List<VmRow> first, List<VmRow> then) {
        Comparator<VmRow> order = Comparator.comparingInt((VmRow r) -> w.available(r) ? 1 : 0)
                .thenComparingInt(r -> first.contains(r) ? 0 : 1)
                .thenComparing(w.m.removalOrder());
        List<VmRow> all = new ArrayList<>(first);
        all.addAll(then);
        all.sort(order);
        return all;
    }

    private boolean create(PassWork w) {
        String name = w.g.name();
        int i = w.m.lowestFreeIndex(n -> {
            boolean held = vms.find(n).isPresent();
            if (held) {
                log.warn("deployment={} vm={} skipped: name held by a vm outside the deployment", name, n);
            }
            return held;
        });
        String vm = Names.replicaName(name, i);
        try {
            DeploymentConfigs.checkEnabled(w.template, plugins);
            vms.createReplica(vm, configs.validated(w.g), w.g.id(), w.g.revision());
            w.creates++;
            w.state = w.state.clearError();
            return true;
        } catch (RuntimeException e) {
            String msg = "create " + vm + ": " + e.getMessage();
            w.error = msg;
            w.terminal = e instanceof ConflictException || String.valueOf(e.getMessage()).contains(IpAllocationRepository.EXHAUSTED);
            w.state = w.state.withError(msg, clock.instant());
            log.warn("deployment={} vm={} revision={} create failed terminal={} error={}", name, vm, w.g.revision(),
                    w.terminal, e.getMessage());
            return false;
        }
    }

    private boolean destroy(PassWork w, VmRow victim, String why) {
        try {
            vms.destroy(victim.name(), false);
            availability.forget(victim.name());
            log.info("deployment={} vm={} removed reason={} revision={}", w.g.name(), victim.name(), why, victim.groupRevision());
            return true;
        } catch (NotFoundException gone) {
            return true;
        } catch (RuntimeException e) {
            w.error = "destroy " + victim.name() + ": " + e.getMessage();
            w.state = w.state.withError(w.error, clock.instant());
            log.warn("deployment={} vm={} destroy failed error={}", w.g.name(), victim.name(), e.getMessage());
            return false;
        }
    }

    /** The delete intent: destroy members (bounded), then the group; a crash anywhere resumes here. */
    private Result finishDelete(GroupRow g) {
        List<String> failed = new ArrayList<>();
        int n = 0;
        for (VmRow m : vms.members(g.id())) {
            if (n++ >= 4 * CREATES_PER_PASS) {
                return Result.requeueAfter(Duration.ZERO);
            }
            try {
                vms.destroy(m.name(), false);
                availability.forget(m.name());
            } catch (NotFoundException gone) {
                // already destroyed
            } catch (RuntimeException e) {
                failed.add(m.name() + ": " + e.getMessage());
                log.warn("deployment={} vm={} destroy failed error={}", g.name(), m.name(), e.getMessage());
            }
        }
        if (!vms.members(g.id()).isEmpty()) {
            return Result.error("delete deployment " + g.name() + ": " + String.join("; ", failed));
        }
        store.write(tx -> tx.groups().delete(g.id()));
        healing.forgetDeployment(g.name());
        configs.forget(g.id());
        log.info("deployment deleted deployment={}", g.name());
        return Result.done();
    }

    /**
     * Drift ownership (control-plane.md §9 Chosen): routes nobody owns (the owner stopped or was removed) go to the
     * lowest-index running member; members that already share them are skipped by the ownership rule.
     */
    private void handOverRoutes(PassWork w) {
        if (w.template.expose().isEmpty()) {
            return;
        }
        w.m.all().stream().filter(r -> r.status().equals("running"))
                .sorted(Comparator.comparingInt(w.m::index))
                .forEach(r -> vms.takeOverRoutes(r.name()));
    }
}
