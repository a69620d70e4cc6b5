package io.volant.volantd.deployment;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A queue of deployment names with the controller-runtime contract: a name is queued at most once; a name being
 * processed is never handed out again until {@link #done}, and adding it meanwhile marks it dirty so exactly one
 * more pass follows. Thread-safe.
 */
final class WorkQueue {
    private final LinkedHashSet<String> queued = new LinkedHashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private boolean shutdown;

    synchronized void add(String name) {
        if (shutdown) {
            return;
        }
        if (processing.contains(name)) {
            dirty.add(name);
        } else if (queued.add(name)) {
            notifyAll();
        }
    }

    /** Blocks for the next name; null once shut down. */
    synchronized String take() throws InterruptedException {
        while (queued.isEmpty() && !shutdown) {
            wait();
        }
        if (shutdown) {
            return null;
        }
        String n = queued.iterator().next();
        queued.remove(n);
        processing.add(n);
        return n;
    }

    synchronized void done(String name) {
        processing.remove(name);
        if (dirty.remove(name) && !shutdown) {
            queued.add(name);
            notifyAll();
        }
    }

    synchronized int depth() {
        return queued.size();
    }

    synchronized boolean idle() {
        return queued.isEmpty() && processing.isEmpty();
    }

    synchronized void shutdown() {
        shutdown = true;
        notifyAll();
    }
}
