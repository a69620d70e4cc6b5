package io.volant.volantd.vm;

import java.time.Instant;

/** {@code {"version","updated_at","config"}} (control-plane.md §4.6). */
public record VersionedConfig(int version, Instant updatedAt, VmConfig config) {}
