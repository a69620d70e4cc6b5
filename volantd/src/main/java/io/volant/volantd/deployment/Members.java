package io.volant.volantd.deployment;

import io.volant.volantd.store.VmRow;
import io.volant.volantd.vm.Names;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Predicate;

/**
 * One look at a deployment's members against its desired state: a <em>keeper</em> is a member of the current
 * revision whose index is one of the {@code wanted} indices ({@code 1..replicas} on a single host, the assigned ones
 * on a cluster node); a rollout is complete when the members are exactly the keepers (or an index is held by a VM
 * outside the deployment).
 */
record Members(String deployment, SortedSet<Integer> wanted, int revision, List<VmRow> all) {

    /** How many members this host should run. */
    int desired() {
        return wanted.size();
    }

    /**
     * Removal order of the spec (control-plane.md §3.8 item 4): unparseable names first, then indices this host
     * should not run, then the highest index. With {@code wanted = 1..n} this is "unparseable, then highest".
     */
    Comparator<VmRow> removalOrder() {
        return Comparator.comparingInt((VmRow m) -> index(m) == 0 ? 0 : 1)
                .thenComparingInt(m -> wanted.contains(index(m)) ? 1 : 0)
                .thenComparing(Comparator.comparingInt(this::index).reversed());
    }

    boolean current(VmRow m) {
        return m.groupRevision() != null && m.groupRevision() == revision;
    }

    int index(VmRow m) {
        return Names.replicaIndex(deployment, m.name());
    }

    boolean keeper(VmRow m) {
        return current(m) && wanted.contains(index(m));
    }

    List<VmRow> currentOnes() {
        return all.stream().filter(this::current).toList();
    }

    List<VmRow> outdated() {
        return all.stream().filter(m -> !current(m)).toList();
    }

    /** Current-revision members outside the wanted indices (a surge replica that borrowed the next index). */
    List<VmRow> misplaced() {
        return all.stream().filter(m -> current(m) && !keeper(m)).toList();
    }

    /**
     * Members (of any revision) holding an index in {@code 1..replicas} that is not wanted here: on a cluster node,
     * indices the scheduler assigned to another node. Always empty on a single host.
     */
    List<VmRow> foreign(int replicas) {
        return all.stream().filter(m -> index(m) >= 1 && index(m) <= replicas && !wanted.contains(index(m))).toList();
    }

    /** Exactly {@code desired} members, all of the current revision. */
    boolean complete() {
        return all.size() == desired() && all.stream().allMatch(this::current);
    }

    /** Every member is a keeper: the names are the wanted ones. */
    boolean named() {
        return all.stream().allMatch(this::keeper);
    }

    /**
     * The lowest wanted index no member holds and whose name {@code heldElsewhere} does not claim; when there is
     * none (a surge), the lowest such index above every wanted one.
     */
    int lowestFreeIndex(Predicate<String> heldElsewhere) {
        Set<Integer> taken = new HashSet<>();
        all.forEach(m -> taken.add(index(m)));
        Predicate<Integer> free = i -> !taken.contains(i) && !heldElsewhere.test(Names.replicaName(deployment, i));
        for (int i : wanted) {
            if (free.test(i)) {
                return i;
            }
        }
        int i = wanted.isEmpty() ? 1 : wanted.last() + 1;
        while (!free.test(i)) {
            i++;
        }
        return i;
    }
}
