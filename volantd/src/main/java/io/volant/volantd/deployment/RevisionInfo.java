package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import io.volant.volantd.vm.VmConfig;
import java.time.Instant;

/**
 * One kept revision in {@code rollout history}.
 *
 * @param digest SHA-256 of the normalized config (equal configs share a revision)
 * @param cause {@code create}, {@code update}, {@code undo …} or {@code auto-rollback from revision N}
 * @param createdAt when the revision was first made
 * @param usedAt when the deployment last moved to it
 * @param current true for the deployment's current revision
 * @param replicas members running this revision now
 */
public record RevisionInfo(
        @JsonProperty("revision") int revision,
        @JsonProperty("digest") String digest,
        @JsonProperty("cause") String cause,
        @JsonProperty("created_at") @JsonSerialize(using = InstantJson.class) Instant createdAt,
        @JsonProperty("used_at") @JsonSerialize(using = InstantJson.class) Instant usedAt,
        @JsonProperty("current") boolean current,
        @JsonProperty("replicas") int replicas,
        @JsonProperty("config") VmConfig config) {}
