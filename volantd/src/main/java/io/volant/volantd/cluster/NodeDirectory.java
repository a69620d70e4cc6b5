package io.volant.volantd.cluster;

import java.util.List;

/**
 * The nodes {@code GET /api/v1/nodes} lists: the one local node on a single host ({@link LocalNode}), every
 * registered member in cluster mode ({@link Membership}). {@link #close()} leaves the cluster cleanly;
 * {@link #halt()} stops without telling anyone, as a killed process would.
 */
public interface NodeDirectory extends AutoCloseable {
    /** Every known node in name order; throws {@link io.volant.volantd.errors.UnavailableException} without etcd. */
    List<Node> nodes();

    /**
     * Marks {@code node} drained (unschedulable: the scheduler moves its replicas away) or schedulable again;
     * idempotent. Throws {@link io.volant.volantd.errors.NotFoundException} for an unknown node,
     * {@link io.volant.volantd.errors.ConflictException} on a single host (this default).
     */
    default Node drain(String node, boolean drained) {
        throw new io.volant.volantd.errors.ConflictException("drain " + node
                + ": a single host has no other node to move replicas to (cluster mode is off, docs/cluster.md)");
    }

    /** The deployments the API serves: {@code local} on a single host, the cluster's in cluster mode. */
    default io.volant.volantd.deployment.Deployments deployments(io.volant.volantd.deployment.DeploymentService local) {
        return local;
    }

    /**
     * Cluster mode: every VM of the cluster, each with its {@code node}; empty on a single host, whose own list is
     * the whole list. Throws {@link io.volant.volantd.errors.UnavailableException} without etcd.
     */
    default java.util.Optional<List<com.fasterxml.jackson.databind.node.ObjectNode>> clusterVms() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {}

    default void halt() {
        close();
    }
}
