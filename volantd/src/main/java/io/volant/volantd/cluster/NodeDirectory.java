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

    @Override
    default void close() {}

    default void halt() {
        close();
    }
}
