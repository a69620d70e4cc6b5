package io.volant.volantd.store;

import java.time.Instant;

/**
 * A {@code deployment_revisions} row: one distinct normalized config of a deployment.
 *
 * @param digest SHA-256 (hex) of the normalized config JSON; equal configs have equal digests
 * @param cause why the revision was made or last returned to ({@code create}, {@code update}, {@code undo}, …)
 * @param usedAt when the deployment last moved to this revision (pruning keeps the most recently used)
 */
public record RevisionRow(long groupId, int revision, String digest, String configJson, String cause,
                          Instant createdAt, Instant usedAt) {}
