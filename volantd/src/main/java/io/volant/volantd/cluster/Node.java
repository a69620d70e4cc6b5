package io.volant.volantd.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One volantd as {@code GET /api/v1/nodes} shows it and as it registers itself in etcd.
 *
 * @param state    {@code ready} (its membership lease is alive) or {@code down} (the lease expired: killed, cut off
 *                 from etcd, or hung); a single host is always {@code ready}
 * @param replicas deployment members running on the node, from the node's own state at its last heartbeat
 * @param subnet      the node's guest subnet (unique in the cluster: docs/cluster.md)
 * @param schedulable false once an operator drained the node: the scheduler places nothing there and moves its
 *                    replicas away
 */
public record Node(
        @JsonProperty("name") String name,
        @JsonProperty("url") String url,
        @JsonProperty("state") String state,
        @JsonProperty("capacity") Capacity capacity,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("replicas") List<String> replicas,
        @JsonProperty("subnet") String subnet,
        @JsonProperty("schedulable") boolean schedulable) {
    public static final String READY = "ready";
    public static final String DOWN = "down";

    public Node {
        labels = Map.copyOf(labels);
        replicas = List.copyOf(replicas);
    }

    /**
     * @param memoryMb      host memory in MiB
     * @param freeAddresses guest addresses left in the node's subnet
     */
    public record Capacity(
            @JsonProperty("cpus") int cpus,
            @JsonProperty("memory_mb") long memoryMb,
            @JsonProperty("free_addresses") int freeAddresses,
            @JsonProperty("backend") String backend) {}

    public Node withState(String s, boolean canSchedule) {
        return new Node(name, url, s, capacity, labels, replicas, subnet, canSchedule);
    }

    /** Ready and not drained: the scheduler may place replicas here. */
    public boolean eligible() {
        return READY.equals(state) && schedulable;
    }
}
