package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Default VM size of the plugin (§7 G16: used when neither the request nor the VM config gives one).
 *
 * @param cpuCores vCPUs, must be > 0
 * @param memoryMb memory in MiB, must be > 0
 */
@JsonPropertyOrder({"cpu_cores", "memory_mb"})
public record Resources(@JsonProperty("cpu_cores") int cpuCores, @JsonProperty("memory_mb") int memoryMb) {
    public static final Resources EMPTY = new Resources(0, 0);
}
