package io.volant.volantd.deployment;

import io.volant.volantd.errors.InternalException;
import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.VmConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the deployment JSON (counts, rollout, conditions, one-word status) from the row and its members. The
 * rollout and availability are judged against the indices this host runs (all of them on a single host).
 */
final class DeploymentStatus {
    private final Availability availability;
    private final Clock clock;
    private final ReplicaIndices indices;
    private final RevisionConfigs configs;

    DeploymentStatus(Availability availability, Clock clock, ReplicaIndices indices, RevisionConfigs configs) {
        this.configs = configs;
        this.availability = availability;
        this.clock = clock;
        this.indices = indices;
    }

    Deployment build(GroupRow g, List<VmRow> rows) {
        VmConfig config;
        try {
            config = configs.template(g);
        } catch (RuntimeException e) {
            throw new InternalException("orchestrator: decode deployment " + g.name() + " config: " + e.getMessage(), e);
        }
        Strategy st = Strategy.fromJson(g.strategyJson());
        Members m = new Members(g.name(), indices.of(g.name(), g.replicas()), g.revision(), rows);
        int desired = m.desired();
        Duration minReady = Duration.ofSeconds(st.minReadySeconds());
        int ready = (int) rows.stream().filter(availability::ready).count();
        int available = (int) rows.stream().filter(r -> availability.available(r, minReady)).count();
        int updated = m.currentOnes().size();
        RolloutState s = RolloutState.fromJson(g.rolloutJson(), g.revision(), clock.instant());
        boolean sameRevision = s.revision() == g.revision();
        // Complete once the pass said so (a later crash does not reopen the rollout: Available shows it), or when
        // the members are exactly the available keepers and the pass has not run yet.
        boolean done = m.complete() && (s.status().equals(RolloutState.COMPLETE) && sameRevision
                || m.named() && available == desired);
        String rs = done ? RolloutState.COMPLETE
                : sameRevision && s.status().equals(RolloutState.FAILED) ? RolloutState.FAILED : RolloutState.PROGRESSING;
        String message = switch (rs) {
            case RolloutState.COMPLETE -> "";
            case RolloutState.FAILED -> s.message();
            default -> (sameRevision && !s.message().isEmpty() ? s.message() + "; " : "") + updated + " of " + desired
                    + " replicas at revision " + g.revision();
        };
        Rollout rollout = new Rollout(rs, message, s.paused(), s.stableRevision());
        int floor = desired - st.unavailable(desired);
        boolean enough = available >= floor;
        List<Condition> conditions = new ArrayList<>();
        conditions.add(Condition.of("Available", enough, enough ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available + " of " + desired + " replicas available (minimum " + Math.max(floor, 0) + ")"));
        conditions.add(switch (rs) {
            case RolloutState.COMPLETE -> Condition.of("Progressing", true, "NewRevisionAvailable",
                    "revision " + g.revision() + " is rolled out");
            case RolloutState.FAILED -> Condition.of("Progressing", false, "ProgressDeadlineExceeded", message);
            default -> s.paused() ? Condition.of("Progressing", false, "RolloutPaused", message)
                    : Condition.of("Progressing", true, message.startsWith("rolled back") ? "RolledBack" : "RevisionProgressing", message);
        });
        if (!s.lastError().isEmpty()) {
            conditions.add(new Condition("ReplicaFailure", "True", "ReplicaError", s.lastError(), s.lastErrorAt()));
        }
        String status = g.deleting() ? "Deleting"
                : rs.equals(RolloutState.FAILED) ? "Failed"
                : s.paused() && !rs.equals(RolloutState.COMPLETE) ? "Paused"
                : rs.equals(RolloutState.PROGRESSING) ? "Progressing"
                : !enough || !s.lastError().isEmpty() ? "Degraded" : "Available";
        return new Deployment(g.name(), g.replicas(), ready, config, g.createdAt(), g.updatedAt(), g.revision(), updated,
                available, rollout, st, status, List.copyOf(conditions));
    }
}
