package io.volant.volantd.store;

import java.time.Instant;

/** An {@code ip_allocations} row; {@code vmId} null when unassigned. */
public record IpAllocation(String ipAddress, Long vmId, String status, Instant leasedAt) {
    public static final String AVAILABLE = "available";
    public static final String LEASED = "leased";
}
