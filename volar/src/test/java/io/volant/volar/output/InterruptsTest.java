package io.volant.volar.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Ctrl-C hook is installed once, when a command first registers an interrupt, and never for one that does not. */
class InterruptsTest {

    @Test
    void the_hook_is_installed_at_the_first_registration_only_and_fires_what_is_registered() {
        List<Runnable> hooks = new ArrayList<>();
        Interrupts interrupts = new Interrupts(hooks::add);
        assertThat(hooks).as("nothing registered, no hook").isEmpty();

        List<String> fired = new ArrayList<>();
        Runnable unregisterA = interrupts.register(() -> fired.add("a"));
        interrupts.register(() -> fired.add("b"));
        assertThat(hooks).hasSize(1);

        unregisterA.run();
        hooks.getFirst().run(); // what the JVM runs on SIGINT
        assertThat(fired).containsExactly("b");
    }
}
