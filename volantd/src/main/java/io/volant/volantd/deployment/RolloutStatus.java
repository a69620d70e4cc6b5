package io.volant.volantd.deployment;

import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.RevisionRow;
import io.volant.volantd.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout half of a {@link DeploymentPass}: after the steps, marks the rollout complete, records progress,
 * enforces the progress deadline and rolls back automatically when the strategy asks for it.
 */
final class RolloutStatus {
    // The pass's logger: a pass's log lines keep one name, whichever half writes them.
    private static final Logger log = LoggerFactory.getLogger(DeploymentPass.class);

    private final Store store;

    RolloutStatus(Store store) {
        this.store = store;
    }

    /**
     * Rollout bookkeeping after the steps: complete, progress (more current members available), the progress
     * deadline and auto-rollback. Returns a result when the pass must end differently (rolled back: requeue now).
     */
    DeploymentPass.Result update(PassWork w, Instant now) {
        RolloutState s = w.state;
        if (w.done()) {
            if (!s.status().equals(RolloutState.COMPLETE)) {
                log.info("deployment={} revision={} rollout complete", w.g.name(), w.g.revision());
                s = s.completed();
            }
            w.state = w.error == null ? s.clearError() : s;
            return null;
        }
        int newAvailable = (int) w.m.currentOnes().stream().filter(w::available).count();
        if (newAvailable > s.available()) {
            s = s.progressed(now, newAvailable);
        }
        if (s.status().equals(RolloutState.PROGRESSING) && !s.paused()) {
            Duration deadline = Duration.ofSeconds(w.st.progressDeadlineSeconds());
            Instant due = s.progressAt().plus(deadline);
            if (!now.isBefore(due)) {
                String reason = "revision " + w.g.revision() + ": progress deadline " + deadline.toSeconds()
                        + "s exceeded with " + newAvailable + " of " + w.m.desired() + " updated replicas available"
                        + (s.lastError().isEmpty() ? "" : "; last error: " + s.lastError());
                log.warn("deployment={} revision={} rollout failed reason={}", w.g.name(), w.g.revision(), reason);
                s = s.withStatus(RolloutState.FAILED, reason);
                w.state = s;
                if (w.st.autoRollback() && s.stableRevision() > 0 && s.stableRevision() != w.g.revision()) {
                    return rollBack(w, reason, now);
                }
                return null;
            }
            w.sooner(Duration.between(now, due));
        }
        w.state = s;
        return null;
    }

    private DeploymentPass.Result rollBack(PassWork w, String reason, Instant now) {
        GroupRow g = w.g;
        int target = w.state.stableRevision();
        String persistedFailure = w.state.toJson();
        Integer moved = store.write(tx -> {
            tx.groups().updateRollout(g.id(), persistedFailure);
            Optional<RevisionRow> r = tx.revisions().get(g.id(), target);
            if (r.isEmpty()) {
                return null;
            }
            GroupRow fresh = tx.groups().getById(g.id()).orElseThrow();
            int rev = Revisions.moveTo(tx, fresh, r.get(), "auto-rollback from revision " + g.revision(), now);
            RolloutState after = RolloutState.fromJson(tx.groups().getById(g.id()).orElseThrow().rolloutJson(), rev, now);
            tx.groups().updateRollout(g.id(), after.withStatus(RolloutState.PROGRESSING,
                    "rolled back from revision " + g.revision() + ": " + reason).toJson());
            return rev;
        });
        if (moved == null) {
            log.warn("deployment={} auto-rollback impossible: revision {} no longer kept", g.name(), target);
            return null;
        }
        log.warn("deployment={} rolled back from={} to={}", g.name(), g.revision(), moved);
        w.state = RolloutState.fromJson(store.read(tx -> tx.groups().getById(g.id()).orElseThrow().rolloutJson()), moved, now);
        return DeploymentPass.Result.requeueAfter(Duration.ZERO);
    }
}
