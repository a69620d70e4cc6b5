package io.volant.volantd.deployment;

import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.Names;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One look at a deployment's members against its desired state: a <em>keeper</em> is a member of the current
 * revision whose index is in {@code 1..desired}; a rollout is complete when the members are exactly the keepers
 * {@code <name>-1..desired} (or an index is held by a VM outside the deployment).
 */
record Members(String deployment, int desired, int revision, List<VmRow> all) {

    /** Removal order of the spec (control-plane.md §3.8 item 4): unparseable names first, then the highest index. */
    static Comparator<VmRow> removalOrder(String deployment) {
        return Comparator.comparingInt((VmRow m) -> Names.replicaIndex(deployment, m.name()) == 0 ? 0 : 1)
                .thenComparing(Comparator.comparingInt((VmRow m) -> Names.replicaIndex(deployment, m.name())).reversed());
    }

    boolean current(VmRow m) {
        return m.groupRevision() != null && m.groupRevision() == revision;
    }

    int index(VmRow m) {
        return Names.replicaIndex(deployment, m.name());
    }

    boolean keeper(VmRow m) {
        int i = index(m);
        return current(m) && i >= 1 && i <= desired;
    }

    List<VmRow> currentOnes() {
        return all.stream().filter(this::current).toList();
    }

    List<VmRow> outdated() {
        return all.stream().filter(m -> !current(m)).toList();
    }

    /** Current-revision members outside {@code 1..desired} (a surge replica that borrowed the next index). */
    List<VmRow> misplaced() {
        return all.stream().filter(m -> current(m) && !keeper(m)).toList();
    }

    /** Exactly {@code desired} members, all of the current revision. */
    boolean complete() {
        return all.size() == desired && all.stream().allMatch(this::current);
    }

    /** Every member is a keeper: the names are {@code <name>-1..desired}. */
    boolean named() {
        return all.stream().allMatch(this::keeper);
    }

    /** The lowest index no member holds and whose name {@code heldElsewhere} does not claim. */
    int lowestFreeIndex(Predicate<String> heldElsewhere) {
        Set<Integer> taken = new HashSet<>();
        all.forEach(m -> taken.add(index(m)));
        int i = 1;
        while (taken.contains(i) || heldElsewhere.test(Names.replicaName(deployment, i))) {
            i++;
        }
        return i;
    }
}
