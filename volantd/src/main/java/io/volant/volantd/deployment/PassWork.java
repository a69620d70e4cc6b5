package io.volant.volantd.deployment;

import io.volant.volantd.store.GroupRow;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmService;
import java.time.Duration;

/**
 * What one {@link DeploymentPass} saw and did; its steps and the rollout bookkeeping ({@link RolloutStatus}) share
 * it. Lives for one pass, on one thread.
 */
final class PassWork {
    final GroupRow g;
    final VmConfig template;
    final Strategy st;
    final Duration minReady;
    RolloutState state;
    Members m;
    int creates;
    String error;
    boolean terminal;
    Duration next;

    private final VmService vms;
    private final Availability availability;
    private final ReplicaIndices indices;

    PassWork(GroupRow g, VmConfig template, Strategy st, RolloutState state, VmService vms, Availability availability,
             ReplicaIndices indices) {
        this.g = g;
        this.template = template;
        this.st = st;
        this.minReady = Duration.ofSeconds(st.minReadySeconds());
        this.state = state;
        this.vms = vms;
        this.availability = availability;
        this.indices = indices;
    }

    void refresh() {
        m = new Members(g.name(), indices.of(g.name(), g.replicas()), g.revision(), vms.members(g.id()));
    }

    boolean available(VmRow r) {
        boolean a = availability.available(r, minReady);
        if (!a && availability.ready(r)) {
            sooner(availability.untilAvailable(r, minReady));
        }
        return a;
    }

    int availableCount() {
        return (int) m.all().stream().filter(this::available).count();
    }

    void sooner(Duration d) {
        if (d != null && (next == null || d.compareTo(next) < 0)) {
            next = d;
        }
    }

    /** A current member sits outside the wanted indices while a wanted index is free (names to restore). */
    boolean renameNeeded() {
        return !m.misplaced().isEmpty() && m.wanted().contains(m.lowestFreeIndex(n -> vms.find(n).isPresent()));
    }

    /** The rollout is done: desired members at the current revision, all available, named {@code 1..desired} where possible. */
    boolean done() {
        return m.complete() && m.all().stream().allMatch(this::available) && !renameNeeded();
    }
}
