package io.volant.volantd.network;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bookkeeping-only network manager: the {@code simulated} backend's (host-runtime.md §9.8) and the tests' twin.
 * Derives the Chosen tap name and enforces its in-use rule, creates no device; failure knob for tests.
 */
public final class InMemoryNetworkManager implements NetworkManager {
    private final Map<String, String> tapOwners = new ConcurrentHashMap<>();
    private final List<String> cleaned = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNextPrepares = new AtomicInteger();

    @Override
    public String prepareTap(String vmName, String mac) {
        if (failNextPrepares.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            throw new NetworkException("create tap " + tapName(vmName) + ": simulated failure");
        }
        String tap = tapName(vmName);
        String owner = tapOwners.putIfAbsent(tap, vmName);
        if (owner != null && !owner.equals(vmName)) {
            throw new NetworkException("tap " + tap + " is in use by vm " + owner);
        }
        return tap;
    }

    @Override
    public void cleanupTap(String tapName) {
        if (tapName == null || tapName.isEmpty()) {
            return;
        }
        tapOwners.remove(tapName);
        cleaned.add(tapName);
    }

    @Override
    public List<String> listTaps() {
        return tapOwners.keySet().stream().sorted().toList();
    }

    /** Taps currently held, tap → VM. */
    public Map<String, String> taps() {
        return Map.copyOf(tapOwners);
    }

    /** Every tap name passed to {@link #cleanupTap}, in order. */
    public List<String> cleanedTaps() {
        return List.copyOf(cleaned);
    }

    /** The next {@code n} prepareTap calls fail. */
    public void failNextPrepares(int n) {
        failNextPrepares.set(n);
    }
}
