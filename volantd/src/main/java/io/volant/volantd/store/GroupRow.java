package io.volant.volantd.store;

import java.time.Instant;

/** A {@code vm_groups} row (deployment); {@code strategyJson} null when never set. */
public record GroupRow(long id, String name, String configJson, int replicas, int revision, String strategyJson,
                       Instant createdAt, Instant updatedAt) {}
