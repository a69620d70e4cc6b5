package io.volant.volantd.plugin;

import io.volant.manifest.Manifest;
import java.time.Instant;

/**
 * An installed plugin: the normalized manifest (its {@code enabled} reflects the registry state) and the
 * registry flag.
 */
public record Plugin(String name, String version, boolean enabled, Manifest manifest, Instant installedAt,
                     Instant updatedAt) {}
