package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import io.volant.volantd.vm.VmConfig;
import java.time.Instant;

/**
 * A deployment as the API shows it (control-plane.md §3.1, api-and-cli.md §1.6).
 *
 * @param readyReplicas members that are running with a live instance (and healthy with EXTENSION C)
 * @param config the normalized template, manifest embedded
 * @param revision EXTENSION A revision (1 until config updates exist)
 * @param updatedReplicas members created from the current revision
 * @param rollout EXTENSION A rollout state
 * @param strategy EXTENSION A strategy
 */
public record Deployment(
        @JsonProperty("name") String name,
        @JsonProperty("desired_replicas") int desiredReplicas,
        @JsonProperty("ready_replicas") int readyReplicas,
        @JsonProperty("config") VmConfig config,
        @JsonProperty("created_at") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = InstantJson.class) Instant createdAt,
        @JsonProperty("updated_at") @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = InstantJson.class) Instant updatedAt,
        @JsonProperty("revision") int revision,
        @JsonProperty("updated_replicas") int updatedReplicas,
        @JsonProperty("rollout") Rollout rollout,
        @JsonProperty("strategy") Strategy strategy) {}
