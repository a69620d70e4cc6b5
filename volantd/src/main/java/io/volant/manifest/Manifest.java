package io.volant.manifest;

import java.util.List;
import java.util.Map;

/** TEMPORARY stand-in (see package-info). */
public record Manifest(String schemaVersion, String name, String version, String runtime, RootFs rootfs,
                       Initramfs initramfs, List<Disk> disks, String image, String imageDigest, Resources resources,
                       Map<String, Action> actions, HealthCheck healthCheck, Workload workload, CloudInit cloudInit,
                       NetworkConfig network, DeviceConfig devices, boolean enabled, String openapi,
                       Map<String, String> labels) {
    public Manifest {
        schemaVersion = s(schemaVersion);
        name = s(name);
        version = s(version);
        runtime = s(runtime);
        rootfs = rootfs == null ? new RootFs("", "", "") : rootfs;
        initramfs = initramfs == null ? new Initramfs("", "") : initramfs;
        disks = disks == null ? List.of() : List.copyOf(disks);
        image = s(image);
        imageDigest = s(imageDigest);
        resources = resources == null ? new Resources(0, 0) : resources;
        actions = actions == null ? Map.of() : Map.copyOf(actions);
        healthCheck = healthCheck == null ? new HealthCheck("", 0) : healthCheck;
        workload = workload == null ? new Workload("", "", List.of(), Map.of(), "") : workload;
        openapi = s(openapi);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    static String s(String v) {
        return v == null ? "" : v;
    }
}
