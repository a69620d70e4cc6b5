package io.volant.volantd.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A cluster deployment's desired state as stored under {@code /volant/cluster/deployments/<name>}
 * (docs/cluster.md). The scheduler reads {@code replicas}, {@code node_selector} and
 * {@code config.resources.memory_mb} of it ({@link PlacementSpec}); every node mirrors the rest into its local
 * deployment controller ({@link DeploymentMirror}).
 *
 * @param config   the normalized template (manifest embedded), as the API shows it
 * @param strategy the rollout strategy as given, null = defaults
 * @param revision 1 at creation, +1 for each update whose config digest differs
 * @param digest   the config's digest ({@code DeploymentService.digest})
 * @param createdAt RFC 3339
 * @param updatedAt RFC 3339
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentRecord(
        @JsonProperty("replicas") int replicas,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("strategy") JsonNode strategy,
        @JsonProperty("revision") int revision,
        @JsonProperty("digest") String digest,
        @JsonProperty("node_selector") Map<String, String> nodeSelector,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {
    public DeploymentRecord {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    }
}
