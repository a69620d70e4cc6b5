package io.volant.volantd.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory twin of etcd for unit tests: leases expire by the injected clock, checked on every call. Failure
 * knobs: {@link #unreachable(boolean)} makes every call throw as an unreachable etcd does; {@link #expire(long)}
 * drops a lease at once (as after a long partition).
 */
public final class InMemoryClusterStore implements ClusterStore {
    private record Entry(String value, long lease) {}

    private record Watcher(String prefix, Runnable onChange) {}

    private final Clock clock;
    private final TreeMap<String, Entry> keys = new TreeMap<>();
    private final Map<Long, Instant> leases = new HashMap<>();
    private final Map<Long, Duration> ttls = new HashMap<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private long nextLease = 1;
    private boolean unreachable;

    public InMemoryClusterStore(Clock clock) {
        this.clock = clock;
    }

    /** While true every call throws {@link ClusterStoreException}. */
    public synchronized void unreachable(boolean on) {
        this.unreachable = on;
    }

    /** Drops {@code lease} and its keys now. */
    public synchronized void expire(long lease) {
        drop(lease);
    }

    @Override
    public synchronized long grant(Duration ttl) {
        check("grant");
        long id = nextLease++;
        leases.put(id, clock.instant().plus(ttl));
        ttls.put(id, ttl);
        return id;
    }

    @Override
    public synchronized boolean keepAlive(long lease) {
        check("keepalive");
        if (!leases.containsKey(lease)) {
            return false;
        }
        leases.put(lease, clock.instant().plus(ttls.get(lease)));
        return true;
    }

    @Override
    public synchronized void revoke(long lease) {
        check("revoke");
        drop(lease);
    }

    @Override
    public synchronized void put(String key, String value, long lease) {
        check("put");
        if (lease != 0 && !leases.containsKey(lease)) {
            throw new ClusterStoreException("put " + key + ": lease " + lease + " not found", null);
        }
        keys.put(key, new Entry(value, lease));
        changed(List.of(key));
    }

    @Override
    public synchronized boolean create(String key, String value, long lease) {
        check("create");
        if (keys.containsKey(key)) {
            return false;
        }
        put(key, value, lease);
        return true;
    }

    @Override
    public synchronized void delete(String key) {
        check("delete");
        if (keys.remove(key) != null) {
            changed(List.of(key));
        }
    }

    @Override
    public synchronized boolean commitIf(String guardKey, String guardValue, Map<String, String> puts,
                                         Collection<String> deletes) {
        check("commit");
        Entry guard = keys.get(guardKey);
        if (guard == null || !guard.value().equals(guardValue)) {
            return false;
        }
        puts.forEach((k, v) -> keys.put(k, new Entry(v, 0)));
        deletes.forEach(keys::remove);
        changed(java.util.stream.Stream.concat(puts.keySet().stream(), deletes.stream()).toList());
        return true;
    }

    @Override
    public AutoCloseable watch(String prefix, Runnable onChange) {
        Watcher w = new Watcher(prefix, onChange);
        watchers.add(w);
        return () -> watchers.remove(w);
    }

    @Override
    public synchronized Map<String, String> scan(String prefix) {
        check("scan");
        Map<String, String> out = new TreeMap<>();
        keys.tailMap(prefix, true).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
                .forEach(e -> out.put(e.getKey(), e.getValue().value()));
        return out;
    }

    @Override
    public void close() {
        // nothing to release
    }

    private void check(String operation) {
        if (unreachable) {
            throw new ClusterStoreException(operation + ": cluster store unreachable", null);
        }
        Instant now = clock.instant();
        leases.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList()
                .forEach(this::drop);
    }

    private void drop(long lease) {
        leases.remove(lease);
        ttls.remove(lease);
        List<String> gone = keys.entrySet().stream().filter(e -> e.getValue().lease() == lease).map(Map.Entry::getKey)
                .toList();
        gone.forEach(keys::remove);
        changed(gone);
    }

    private void changed(Collection<String> changedKeys) {
        for (Watcher w : watchers) {
            if (changedKeys.stream().anyMatch(k -> k.startsWith(w.prefix()))) {
                w.onChange().run();
            }
        }
    }
}
