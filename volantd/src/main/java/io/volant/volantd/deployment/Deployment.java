package io.volant.volantd.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import io.volant.volantd.vm.VmConfig;
import java.time.Instant;
import java.util.List;

/**
 * A deployment as the API shows it (control-plane.md §3.1, api-and-cli.md §1.6).
 *
 * @param readyReplicas members that are running with a live instance (and healthy with EXTENSION C)
 * @param config the normalized template, manifest embedded
 * @param revision the current revision (a config equal to an earlier revision's goes back to that number)
 * @param updatedReplicas members created from the current revision
 * @param availableReplicas ready members that have been ready for the strategy's {@code min_ready_seconds}
 * @param rollout the rollout state
 * @param strategy the rollout strategy (defaults filled in)
 * @param status one word for tables: {@code Available}, {@code Progressing}, {@code Paused}, {@code Failed},
 *               {@code Degraded} (not enough available members, nothing rolling) or {@code Deleting}
 * @param conditions {@code Available}, {@code Progressing} and, after a replica error, {@code ReplicaFailure}
 * @param members    cluster mode only (null on a single host): every replica in the cluster with its node
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
        @JsonProperty("available_replicas") int availableReplicas,
        @JsonProperty("rollout") Rollout rollout,
        @JsonProperty("strategy") Strategy strategy,
        @JsonProperty("status") String status,
        @JsonProperty("conditions") List<Condition> conditions,
        @JsonProperty("members") @JsonInclude(JsonInclude.Include.NON_NULL) List<Member> members) {

    /** A single host's deployment: no member list. */
    public Deployment(String name, int desiredReplicas, int readyReplicas, VmConfig config, Instant createdAt,
                      Instant updatedAt, int revision, int updatedReplicas, int availableReplicas, Rollout rollout,
                      Strategy strategy, String status, List<Condition> conditions) {
        this(name, desiredReplicas, readyReplicas, config, createdAt, updatedAt, revision, updatedReplicas,
                availableReplicas, rollout, strategy, status, conditions, null);
    }

    /** One replica of a cluster deployment: its VM, the node it runs on, its status and guest address. */
    public record Member(
            @JsonProperty("name") String name,
            @JsonProperty("node") String node,
            @JsonProperty("status") String status,
            @JsonProperty("ip_address") String ipAddress) {
        public boolean running() {
            return "running".equals(status);
        }
    }
}
