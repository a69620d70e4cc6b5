package io.volant.volar.setup;

import java.util.Optional;

/** Read-only facts about the host that {@code volar setup} needs before it plans anything. */
public interface HostProbe {
    boolean isRoot();

    /** @return the absolute path of an executable found on {@code PATH} */
    Optional<String> which(String binary);

    /** @return the home directory used to expand {@code ~} */
    String home();

    /** @return the volantd launcher next to this volar, if there is one */
    Optional<String> volantdPath();
}
