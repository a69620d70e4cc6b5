package io.volant.volantd.deployment;

import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.RevisionRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.VmConfigCodec;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollout commands: history, undo (back to an earlier revision's config; its replicas are kept), pause and resume.
 * Each write holds the deployment lock and runs one pass before answering, as the other deployment writes do.
 */
public final class RolloutService {
    private static final Logger log = LoggerFactory.getLogger(RolloutService.class);

    private final Store store;
    private final DeploymentService deployments;
    private final DeploymentController controller;
    private final NamedLocks locks;
    private final Clock clock;

    RolloutService(Store store, DeploymentService deployments, DeploymentController controller, NamedLocks locks, Clock clock) {
        this.store = store;
        this.deployments = deployments;
        this.controller = controller;
        this.locks = locks;
        this.clock = clock;
    }

    /** The kept revisions, oldest first (404 for an unknown deployment). */
    public List<RevisionInfo> history(String name) {
        String n = DeploymentService.trim(name);
        GroupRow g = deployments.group(n);
        List<VmRow> members = store.read(tx -> tx.vms().listByGroup(g.id()));
        List<RevisionRow> rows = store.write(tx -> {
            Revisions.ensureCurrent(tx, g);
            return tx.revisions().list(g.id());
        });
        return rows.stream().map(r -> new RevisionInfo(r.revision(), r.digest(), r.cause(), r.createdAt(), r.usedAt(),
                r.revision() == g.revision(),
                (int) members.stream().filter(m -> m.groupRevision() != null && m.groupRevision() == r.revision()).count(),
                VmConfigCodec.fromJsonString(r.configJson()))).toList();
    }

    /**
     * Moves the deployment to revision {@code toRevision}, or when null to the previous one (the most recently used
     * other than the current). 404 {@code revision N of deployment D not found}, 400 when there is no previous
     * revision or {@code toRevision} is the current one.
     */
    public Deployment undo(String name, Integer toRevision) {
        if (toRevision != null && toRevision < 1) {
            throw new InvalidArgumentException("to_revision must be >= 1");
        }
        String n = DeploymentService.trim(name);
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = deployments.writable(n);
            int rev = store.write(tx -> {
                Revisions.ensureCurrent(tx, g);
                Optional<RevisionRow> target;
                if (toRevision != null) {
                    if (toRevision == g.revision()) {
                        throw new InvalidArgumentException("rollout undo: deployment " + n + " is already at revision " + toRevision);
                    }
                    target = tx.revisions().get(g.id(), toRevision);
                    if (target.isEmpty()) {
                        throw new NotFoundException("revision " + toRevision + " of deployment " + n + " not found");
                    }
                } else {
                    target = tx.revisions().list(g.id()).stream().filter(r -> r.revision() != g.revision())
                            .max(Comparator.comparing(RevisionRow::usedAt).thenComparingInt(RevisionRow::revision));
                    if (target.isEmpty()) {
                        throw new InvalidArgumentException("rollout undo: deployment " + n + " has no previous revision");
                    }
                }
                return Revisions.moveTo(tx, g, target.get(), "undo from revision " + g.revision(), clock.instant());
            });
            log.info("deployment rollout undone deployment={} from={} to={}", n, g.revision(), rev);
        }
        controller.awaitPass(n); // after the lock is released: the worker's pass takes it
        return deployments.get(n);
    }

    /** Pauses rollout steps (healing and scaling go on); idempotent. */
    public Deployment pause(String name) {
        return setPaused(name, true);
    }

    /** Resumes rollout steps; the progress deadline counts again from now. Idempotent. */
    public Deployment resume(String name) {
        return setPaused(name, false);
    }

    private Deployment setPaused(String name, boolean paused) {
        String n = DeploymentService.trim(name);
        try (NamedLocks.Held _ = locks.lock(n)) {
            GroupRow g = deployments.writable(n);
            store.write(tx -> {
                RolloutState s = RolloutState.fromJson(g.rolloutJson(), g.revision(), clock.instant());
                if (s.paused() != paused) {
                    tx.groups().updateRollout(g.id(), s.withPaused(paused, clock.instant()).toJson());
                }
                return null;
            });
            log.info("deployment rollout {} deployment={}", paused ? "paused" : "resumed", n);
        }
        controller.awaitPass(n); // after the lock is released: the worker's pass takes it
        return deployments.get(n);
    }
}
