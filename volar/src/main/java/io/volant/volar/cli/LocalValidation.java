package io.volant.volar.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Local manifest checks before upload. The full normalization and validation (plugins-and-guest.md §1.4-§1.5)
 * belongs to the shared manifest library; until it is on this branch volantd's 400 answer carries the exact
 * message, so only what the install rewrites could not fix is checked here.
 */
final class LocalValidation {
    private LocalValidation() {}

    static void check(ObjectNode manifest) {
        if (manifest.path("name").asText("").isBlank()) {
            throw new CliException("plugin manifest: name required");
        }
    }
}
