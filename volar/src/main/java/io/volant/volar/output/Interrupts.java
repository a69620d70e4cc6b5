package io.volant.volar.output;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Actions to run when the user presses Ctrl-C: the JVM runs shutdown hooks on SIGINT, and {@code Main} fires this
 * from one, so a progress line drawn with {@code \r} is terminated instead of leaving the shell prompt glued to it.
 */
public final class Interrupts {
    private final Set<Runnable> actions = ConcurrentHashMap.newKeySet();
    private final Consumer<Runnable> hook;
    private final AtomicBoolean hooked = new AtomicBoolean();

    /** Fired only by calling {@link #fire()} (tests). */
    public Interrupts() {
        this(fire -> { });
    }

    /**
     * @param hook installs what runs {@link #fire()} on Ctrl-C (a shutdown hook); called once, at the first
     *             {@link #register}: most commands register nothing, and a shutdown hook costs their start-up a
     *             thread and the hook machinery's set-up
     */
    public Interrupts(Consumer<Runnable> hook) {
        this.hook = hook;
    }

    /** @return an action that unregisters {@code action} */
    public Runnable register(Runnable action) {
        if (hooked.compareAndSet(false, true)) {
            hook.accept(this::fire);
        }
        actions.add(action);
        return () -> actions.remove(action);
    }

    public void fire() {
        actions.forEach(Runnable::run);
    }
}
