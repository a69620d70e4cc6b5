package io.volant.volantd.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * {@link ClusterStore} on etcd through jetcd. The client is given every endpoint and fails over between them (a dead
 * etcd leader is left behind for a member that still has quorum). Each request waits at most {@code timeout}.
 */
public final class EtcdClusterStore implements ClusterStore {
    private final Client client;
    private final Duration timeout;
    private final String endpoints;

    public EtcdClusterStore(List<String> endpoints, Duration timeout) {
        this(endpoints, timeout, b -> b);
    }

    /** {@code access} adds TLS and etcd's user to the client ({@link EtcdTls#access}). */
    public EtcdClusterStore(List<String> endpoints, Duration timeout, UnaryOperator<ClientBuilder> access) {
        this.endpoints = String.join(",", endpoints);
        this.timeout = timeout;
        this.client = access.apply(Client.builder().endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(timeout)
                .retryMaxDuration(timeout))
                .build();
    }

    @Override
    public long grant(Duration ttl) {
        return await("grant", client.getLeaseClient().grant(Math.max(1, ttl.toSeconds()))).getID();
    }

    @Override
    public boolean keepAlive(long lease) {
        try {
            return await("keepalive", client.getLeaseClient().keepAliveOnce(lease)).getTTL() > 0;
        } catch (ClusterStoreException e) {
            // etcd answers NOT_FOUND for an expired or revoked lease: that is an answer, not an outage.
            if (String.valueOf(e.getCause()).contains("lease not found")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void revoke(long lease) {
        try {
            await("revoke", client.getLeaseClient().revoke(lease));
        } catch (ClusterStoreException e) {
            if (!String.valueOf(e.getCause()).contains("lease not found")) {
                throw e;
            }
        }
    }

    @Override
    public void put(String key, String value, long lease) {
        PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        await("put " + key, client.getKVClient().put(bytes(key), bytes(value), option));
    }

    @Override
    public boolean create(String key, String value, long lease) {
        PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
        return await("create " + key, client.getKVClient().txn()
                .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(bytes(key), bytes(value), option))
                .commit()).isSucceeded();
    }

    @Override
    public void delete(String key) {
        await("delete " + key, client.getKVClient().delete(bytes(key)));
    }

    @Override
    public boolean commitIf(String guardKey, String guardValue, Map<String, String> puts, Collection<String> deletes) {
        List<Op> ops = new ArrayList<>();
        puts.forEach((k, v) -> ops.add(Op.put(bytes(k), bytes(v), PutOption.DEFAULT)));
        deletes.forEach(k -> ops.add(Op.delete(bytes(k), DeleteOption.DEFAULT)));
        return await("commit guarded by " + guardKey, client.getKVClient().txn()
                .If(new Cmp(bytes(guardKey), Cmp.Op.EQUAL, CmpTarget.value(bytes(guardValue))))
                .Then(ops.toArray(Op[]::new))
                .commit()).isSucceeded();
    }

    @Override
    public AutoCloseable watch(String prefix, Runnable onChange) {
        // jetcd re-establishes the watch after a failover; events missed meanwhile are covered by the resync.
        return client.getWatchClient().watch(bytes(prefix), WatchOption.builder().isPrefix(true).build(),
                response -> onChange.run(), error -> { }, () -> { });
    }

    @Override
    public Map<String, String> scan(String prefix) {
        GetOption option = GetOption.builder().isPrefix(true).withSortField(GetOption.SortTarget.KEY).build();
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : await("scan " + prefix, client.getKVClient().get(bytes(prefix), option)).getKvs()) {
            out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T await(String operation, CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ClusterStoreException(operation + " on etcd " + endpoints + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ClusterStoreException(operation + " on etcd " + endpoints + ": no answer within " + timeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterStoreException(operation + " on etcd " + endpoints + ": interrupted", e);
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
