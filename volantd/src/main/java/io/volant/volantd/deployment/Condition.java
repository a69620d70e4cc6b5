package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import java.time.Instant;

/**
 * One deployment condition: {@code Available} (at least desired − max_unavailable members available),
 * {@code Progressing} (the rollout's state and reason) or {@code ReplicaFailure} (the last replica error and when).
 *
 * @param status {@code "True"} or {@code "False"}
 * @param time when the condition's message happened (ReplicaFailure only)
 */
public record Condition(
        @JsonProperty("type") String type,
        @JsonProperty("status") String status,
        @JsonProperty("reason") String reason,
        @JsonProperty("message") String message,
        @JsonProperty("time") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = InstantJson.class) Instant time) {

    static Condition of(String type, boolean status, String reason, String message) {
        return new Condition(type, status ? "True" : "False", reason, message, null);
    }
}
