package io.volant.volantd.deployment;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Which replica indices of a deployment this host runs. A single host runs all of {@code 1..replicas}
 * ({@link #ALL}); a cluster node runs the indices the scheduler assigned to it (docs/cluster.md), so the controller
 * reconciles an explicit set of indices rather than a count. Must not block: the controller asks on every pass.
 */
@FunctionalInterface
public interface ReplicaIndices {
    ReplicaIndices ALL = (deployment, replicas) -> range(replicas);

    /** The indices of {@code deployment} (whose spec asks for {@code replicas}) this host should run. */
    SortedSet<Integer> of(String deployment, int replicas);

    static SortedSet<Integer> range(int replicas) {
        return IntStream.rangeClosed(1, replicas).boxed().collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
    }
}
