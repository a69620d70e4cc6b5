package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** EXTENSION A rollout state in the deployment JSON: {@code complete}, {@code progressing} or {@code failed}. */
public record Rollout(@JsonProperty("status") String status, @JsonProperty("message") String message) {
    public static final Rollout COMPLETE = new Rollout("complete", "");
}
