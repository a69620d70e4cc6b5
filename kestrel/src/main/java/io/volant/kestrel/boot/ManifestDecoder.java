package io.volant.kestrel.boot;

/** Turns the manifest's transports into an {@link AgentManifest}; every source is normalized (K8). */
public interface ManifestDecoder {
    /**
     * Decodes a {@code volant.manifest} / {@code VOLANT_MANIFEST} value.
     *
     * @throws RuntimeException with a message naming what is wrong
     */
    AgentManifest decode(String encoded);

    /**
     * Parses a manifest JSON document (the control plane's answer).
     *
     * @throws RuntimeException with a message naming what is wrong
     */
    AgentManifest parseJson(byte[] json);
}
