package io.volant.volantd.vfio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What {@code POST /api/v1/vfio/devices/info} shows (api-and-cli.md §2.8, host-runtime.md §6.1): IDs without
 * {@code 0x}, lower-case; {@code driver} and {@code iommuGroup} "" when none; {@code numaNode} "-1" when unreadable.
 */
@JsonPropertyOrder({"address", "vendor", "device", "driver", "iommu_group", "numa_node"})
public record VfioDevice(@JsonProperty("address") String address, @JsonProperty("vendor") String vendor,
                         @JsonProperty("device") String device, @JsonProperty("driver") String driver,
                         @JsonProperty("iommu_group") String iommuGroup, @JsonProperty("numa_node") String numaNode) {}
