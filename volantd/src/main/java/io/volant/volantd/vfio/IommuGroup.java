package io.volant.volantd.vfio;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One IOMMU group and the requested devices in it ({@code POST /api/v1/vfio/devices/iommu-groups}). */
public record IommuGroup(@JsonProperty("id") String id, @JsonProperty("devices") List<String> devices) {
    public IommuGroup {
        devices = List.copyOf(devices);
    }
}
