package io.volant.volantd.store;

import java.time.Instant;

/** A {@code vm_configs} row or a {@code vm_config_history} row ({@code id} 0 for the current row). */
public record ConfigRow(long id, long vmId, int version, String configJson, Instant updatedAt) {}
