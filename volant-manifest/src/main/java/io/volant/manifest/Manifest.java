package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A plugin manifest (plugins-and-guest.md §1). Immutable; the compact constructor applies the zero values of
 * §1.1: strings are never null, lists and maps are never null (immutable; maps sorted by key), {@code rootfs},
 * {@code initramfs}, {@code resources}, {@code healthCheck} and {@code workload} are never null, while
 * {@code cloudInit}, {@code network} and {@code devices} are null when absent.
 *
 * <p>Constructing a manifest does not normalize or validate it: use {@link Manifests#normalize} and
 * {@link Manifests#validate}. JSON member order and omission rules (§1.2) are encoded in the annotations.
 */
@JsonPropertyOrder({"schema_version", "name", "version", "runtime", "rootfs", "initramfs", "disks", "image",
        "image_digest", "resources", "actions", "health_check", "workload", "cloud_init", "network", "devices",
        "enabled", "openapi", "labels"})
public record Manifest(
        @JsonProperty("schema_version") String schemaVersion,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("runtime") String runtime,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("initramfs") Initramfs initramfs,
        @JsonProperty("disks") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Disk> disks,
        @JsonProperty("image") @JsonInclude(JsonInclude.Include.NON_EMPTY) String image,
        @JsonProperty("image_digest") @JsonInclude(JsonInclude.Include.NON_EMPTY) String imageDigest,
        @JsonProperty("resources") Resources resources,
        @JsonProperty("actions") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Action> actions,
        @JsonProperty("health_check") HealthCheck healthCheck,
        @JsonProperty("workload") Workload workload,
        @JsonProperty("cloud_init") @JsonInclude(JsonInclude.Include.NON_NULL) CloudInit cloudInit,
        @JsonProperty("network") @JsonInclude(JsonInclude.Include.NON_NULL) NetworkConfig network,
        @JsonProperty("devices") @JsonInclude(JsonInclude.Include.NON_NULL) DeviceConfig devices,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("openapi") @JsonInclude(JsonInclude.Include.NON_EMPTY) String openapi,
        @JsonProperty("labels") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels) {

    /** Label forced to the plugin name by normalization. */
    public static final String LABEL_PLUGIN = "volant.plugin";
    /** Label forced to the runtime by normalization. */
    public static final String LABEL_RUNTIME = "volant.runtime";

    /** The manifest with every member at its zero value. */
    public static final Manifest EMPTY = new Manifest("", "", "", "", null, null, null, "", "", null, null, null,
            null, null, null, null, false, "", null);

    public Manifest {
        schemaVersion = Text.orEmpty(schemaVersion);
        name = Text.orEmpty(name);
        version = Text.orEmpty(version);
        runtime = Text.orEmpty(runtime);
        rootfs = rootfs == null ? RootFs.EMPTY : rootfs;
        initramfs = initramfs == null ? Initramfs.EMPTY : initramfs;
        disks = Text.list(disks, Disk.EMPTY);
        image = Text.orEmpty(image);
        imageDigest = Text.orEmpty(imageDigest);
        resources = resources == null ? Resources.EMPTY : resources;
        actions = Text.sortedMap(actions, Action.EMPTY);
        healthCheck = healthCheck == null ? HealthCheck.EMPTY : healthCheck;
        workload = workload == null ? Workload.EMPTY : workload;
        openapi = Text.orEmpty(openapi);
        labels = Text.stringMap(labels);
    }

    /** @return whether both boot media are set (hybrid boot, §1.6) */
    @JsonIgnore
    public boolean isHybrid() {
        return rootfs.isSet() && initramfs.isSet();
    }

    public Manifest withEnabled(boolean value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, network, devices, value, openapi, labels);
    }

    public Manifest withRootfs(RootFs value) {
        return new Manifest(schemaVersion, name, version, runtime, value, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, network, devices, enabled, openapi, labels);
    }

    public Manifest withInitramfs(Initramfs value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, value, disks, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, network, devices, enabled, openapi, labels);
    }

    public Manifest withDisks(List<Disk> value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, value, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, network, devices, enabled, openapi, labels);
    }

    public Manifest withResources(Resources value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                value, actions, healthCheck, workload, cloudInit, network, devices, enabled, openapi, labels);
    }

    public Manifest withActions(Map<String, Action> value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, value, healthCheck, workload, cloudInit, network, devices, enabled, openapi, labels);
    }

    public Manifest withWorkload(Workload value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, value, cloudInit, network, devices, enabled, openapi, labels);
    }

    public Manifest withCloudInit(CloudInit value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, workload, value, network, devices, enabled, openapi, labels);
    }

    public Manifest withNetwork(NetworkConfig value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, value, devices, enabled, openapi, labels);
    }

    public Manifest withDevices(DeviceConfig value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, network, value, enabled, openapi, labels);
    }

    public Manifest withLabels(Map<String, String> value) {
        return new Manifest(schemaVersion, name, version, runtime, rootfs, initramfs, disks, image, imageDigest,
                resources, actions, healthCheck, workload, cloudInit, network, devices, enabled, openapi, value);
    }
}
