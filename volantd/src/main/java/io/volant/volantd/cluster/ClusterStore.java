package io.volant.volantd.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/**
 * The cluster's coordination store (etcd in production, {@link InMemoryClusterStore} in unit tests): keys under
 * leases. Every call blocks for at most the implementation's request timeout and throws
 * {@link ClusterStoreException} when the store cannot be reached or refuses the request.
 */
public interface ClusterStore extends AutoCloseable {
    /** Grants a lease of {@code ttl} (the store may round it up); returns its id. */
    long grant(Duration ttl);

    /** One heartbeat of {@code lease}; false when the lease no longer exists (expired or revoked). */
    boolean keepAlive(long lease);

    /** Revokes {@code lease} and deletes its keys; revoking an absent lease succeeds. */
    void revoke(long lease);

    /** Puts {@code key}; {@code lease} 0 = no lease (the key stays until deleted). */
    void put(String key, String value, long lease);

    /** Puts {@code key} only if it does not exist, atomically; false when it does (its value is left alone). */
    boolean create(String key, String value, long lease);

    /** Deletes {@code key}; deleting an absent key succeeds. */
    void delete(String key);

    /** Every key starting with {@code prefix}, with its value, in key order. */
    Map<String, String> scan(String prefix);

    /**
     * Applies {@code puts} (without lease) and {@code deletes} in one transaction, only while {@code guardKey} holds
     * exactly {@code guardValue}; false (nothing written) otherwise. The scheduler guards every write with its
     * leader key, so a deposed leader's late writes fail.
     */
    boolean commitIf(String guardKey, String guardValue, Map<String, String> puts, Collection<String> deletes);

    /**
     * Calls {@code onChange} after any change of a key under {@code prefix} (lease expiry included), on a thread of
     * the store; the callback must not block. Closing the result stops the calls. A watch may miss changes while
     * the store is unreachable: watchers also resync periodically.
     */
    AutoCloseable watch(String prefix, Runnable onChange);

    @Override
    void close();
}
