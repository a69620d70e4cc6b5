package io.volant.volantd.store;

import java.time.Instant;

/**
 * A {@code vm_groups} row (deployment); {@code strategyJson} and {@code rolloutJson} null when never set.
 *
 * @param lastRevision the highest revision number ever given (numbers are never reused)
 * @param deleting the delete intent: set before members are destroyed, the controller finishes the delete
 */
public record GroupRow(long id, String name, String configJson, int replicas, int revision, String strategyJson,
                       Instant createdAt, Instant updatedAt, String rolloutJson, boolean deleting, int lastRevision) {}
