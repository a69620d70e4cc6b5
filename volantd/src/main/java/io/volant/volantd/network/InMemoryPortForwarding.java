package io.volant.volantd.network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory twin of {@link PortForwarding} for the simulated backend and tests: keeps the installed set, counts
 * transactions. Failure knobs: {@link #failReplaces} makes the next replacements fail, {@link #bind} pretends a
 * process listens on a port. Thread-safe.
 */
public final class InMemoryPortForwarding implements PortForwarding {
    private List<Forward> current = List.of();
    private final Map<String, String> listeners = new HashMap<>();
    private int failures;
    private int transactions;
    private boolean present;

    @Override
    public synchronized void replace(List<Forward> forwards) {
        if (failures > 0) {
            failures--;
            throw new NetworkException("nft: injected failure");
        }
        transactions++;
        current = List.copyOf(forwards);
        present = true;
    }

    @Override
    public synchronized void remove() {
        current = List.of();
        present = false;
    }

    @Override
    public synchronized Optional<String> listener(String protocol, int port) {
        return Optional.ofNullable(listeners.get(protocol + "/" + port));
    }

    @Override
    public synchronized List<Forward> current() {
        return current;
    }

    /** The next {@code n} replacements fail and leave the set unchanged. */
    public synchronized InMemoryPortForwarding failReplaces(int n) {
        failures = n;
        return this;
    }

    /** Injected failures not yet used. */
    public synchronized int pendingFailures() {
        return failures;
    }

    /** Pretends {@code process} listens on {@code <protocol>/<port>}. */
    public synchronized InMemoryPortForwarding bind(String protocol, int port, String process) {
        listeners.put(protocol + "/" + port, process);
        return this;
    }

    /** Successful replacements so far. */
    public synchronized int transactions() {
        return transactions;
    }

    /** True while the table exists (after a replacement, before a removal). */
    public synchronized boolean present() {
        return present;
    }
}
