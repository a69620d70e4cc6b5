package io.volant.volantd.vm;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One fair, reentrant lock per name, created on demand and dropped when nobody holds or waits for it, so the map
 * stays as small as the set of names in use.
 */
public final class NamedLocks {
    private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

    /** Held until {@link Held#close()}; use with try-with-resources. */
    public Held lock(String name) {
        Entry e = locks.compute(name, (k, v) -> {
            Entry x = v == null ? new Entry() : v;
            x.users++;
            return x;
        });
        e.lock.lock();
        return () -> {
            e.lock.unlock();
            locks.computeIfPresent(name, (k, v) -> --v.users == 0 ? null : v);
        };
    }

    /** True when the current thread holds the lock of {@code name}. */
    public boolean heldByCurrentThread(String name) {
        Entry e = locks.get(name);
        return e != null && e.lock.isHeldByCurrentThread();
    }

    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock(true);
        int users; // guarded by the map's compute
    }
}
