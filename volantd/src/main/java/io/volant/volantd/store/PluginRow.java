package io.volant.volantd.store;

import java.time.Instant;

/** A {@code plugins} row; {@code metadata} is the manifest JSON ("" when absent). */
public record PluginRow(long id, String name, String version, boolean enabled, String metadata, Instant installedAt,
                        Instant updatedAt) {}
