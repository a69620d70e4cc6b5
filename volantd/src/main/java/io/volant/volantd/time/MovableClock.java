package io.volant.volantd.time;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock moved by hand (tests): it tells {@link Scheduler}s when it moves, so work due at the new time runs at once
 * instead of when real time would have reached it.
 */
public abstract class MovableClock extends Clock {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Calls {@code listener} after every move; the returned handle unsubscribes it. */
    public final AutoCloseable onMove(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Subclasses call this after changing their time. */
    protected final void moved() {
        listeners.forEach(Runnable::run);
    }
}
