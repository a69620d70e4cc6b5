package io.volant.volantd.vm;

import java.time.Instant;

/** {@code {"id","version","updated_at","config"}} (control-plane.md §4.6). */
public record ConfigHistoryEntry(long id, int version, Instant updatedAt, VmConfig config) {}
