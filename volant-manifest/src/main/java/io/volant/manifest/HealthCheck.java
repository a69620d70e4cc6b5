package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How the agent probes the workload (plugins-and-guest.md §2.7). Both members are always serialized.
 *
 * @param endpoint  path probed with GET; empty = no probe
 * @param timeoutMs probe deadline in milliseconds
 */
@JsonPropertyOrder({"endpoint", "timeout_ms"})
public record HealthCheck(@JsonProperty("endpoint") String endpoint, @JsonProperty("timeout_ms") long timeoutMs) {
    public static final HealthCheck EMPTY = new HealthCheck("", 0);

    public HealthCheck {
        endpoint = Text.orEmpty(endpoint);
    }
}
