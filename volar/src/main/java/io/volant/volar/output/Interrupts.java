package io.volant.volar.output;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Actions to run when the user presses Ctrl-C: the JVM runs shutdown hooks on SIGINT, and {@code Main} fires this
 * from one, so a progress line drawn with {@code \r} is terminated instead of leaving the shell prompt glued to it.
 */
public final class Interrupts {
    private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();

    /** @return an action that unregisters {@code action} */
    public Runnable register(Runnable action) {
        actions.add(action);
        return () -> actions.remove(action);
    }

    public void fire() {
        actions.forEach(Runnable::run);
    }
}
