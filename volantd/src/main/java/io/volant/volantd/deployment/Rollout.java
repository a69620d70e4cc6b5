package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The rollout in the deployment JSON.
 *
 * @param status {@code complete}, {@code progressing} or {@code failed}
 * @param message progress or, when failed, the reason
 * @param paused rollout steps are paused ({@code rollout pause}); healing and scaling go on
 * @param stableRevision the last revision whose rollout completed (0 = none yet)
 */
public record Rollout(@JsonProperty("status") String status, @JsonProperty("message") String message,
                      @JsonProperty("paused") boolean paused, @JsonProperty("stable_revision") int stableRevision) {
    public static final Rollout COMPLETE = new Rollout("complete", "", false, 0);
}
