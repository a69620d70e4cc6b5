package io.volant.volantd.store;

import java.time.Instant;

/** A {@code plugin_artifacts} row (control-plane.md §5.4). */
public record ArtifactRow(long id, String pluginName, String version, String artifactName, String kind, String sourceUrl,
                          String checksum, String format, String localPath, long sizeBytes, Instant createdAt,
                          Instant updatedAt) {}
