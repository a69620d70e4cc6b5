package io.volant.volantd.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the scheduler needs of a cluster deployment: how many replicas, which node labels they require, how much
 * memory each takes (MiB, 0 = unknown: only addresses then limit a node).
 */
public record PlacementSpec(String name, int replicas, Map<String, String> nodeSelector, long memoryMb) {
    public PlacementSpec {
        nodeSelector = Map.copyOf(nodeSelector);
    }

    /** True when {@code node} carries every label of the selector. */
    public boolean admits(Node node) {
        return nodeSelector.entrySet().stream().allMatch(e -> e.getValue().equals(node.labels().get(e.getKey())));
    }

    /**
     * Reads the fields above from a deployment record stored under {@code /volant/cluster/deployments/<name>}
     * ({@code replicas}, {@code node_selector}, {@code config.resources.memory_mb}); other fields are ignored.
     */
    static PlacementSpec parse(ObjectMapper json, String name, String record) throws IOException {
        JsonNode n = json.readTree(record);
        Map<String, String> selector = new LinkedHashMap<>();
        n.path("node_selector").properties().forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
        return new PlacementSpec(name, n.path("replicas").asInt(0), selector,
                n.path("config").path("resources").path("memory_mb").asLong(0));
    }
}
