package io.volant.volar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.manifest.ManifestException;
import io.volant.manifest.Manifests;

/**
 * Local normalization and validation before upload (api-and-cli.md §5.7; plugins-and-guest.md §1.4-§1.5), through
 * the shared manifest library, so a broken manifest fails with the exact spec message without a round trip. The
 * rewritten document itself is uploaded (volantd normalizes again), which keeps members this volar does not know.
 */
final class LocalValidation {
    private LocalValidation() {}

    static void check(ObjectNode manifest) {
        try {
            Manifests.normalizeAndValidate(Manifests.parse(Manifests.mapper().writeValueAsBytes(manifest)));
        } catch (ManifestException e) {
            throw new CliException(e.getMessage());
        } catch (JsonProcessingException e) {
            throw new CliException("plugin manifest: " + e.getOriginalMessage());
        }
    }
}
