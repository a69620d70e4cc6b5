package io.volant.volantd.vm;

import io.volant.manifest.CloudInit;
import io.volant.manifest.DeviceConfig;
import io.volant.manifest.Initramfs;
import io.volant.manifest.Manifest;
import io.volant.manifest.NetworkConfig;
import io.volant.manifest.RootFs;
import java.util.List;
import java.util.Map;

/**
 * The versioned per-VM configuration and the deployment template (control-plane.md §4.1). Strings are never
 * null ("" = unset); {@code resources}, {@code api}, {@code metadata}, {@code expose} never null; the override
 * objects {@code manifest}, {@code devices}, {@code cloudInit}, {@code network}, {@code initramfs}, {@code rootfs}
 * are null when absent; {@code template} is null when absent (deployment replicas start as clones of a template
 * unless it is {@code false}, docs/templates.md). JSON conversion: {@link VmConfigCodec}; any Jackson mapper writes it with the §4.1 rules
 * through {@link VmConfigCodec.Writer}.
 */
@com.fasterxml.jackson.databind.annotation.JsonSerialize(using = VmConfigCodec.Writer.class)
public record VmConfig(
        String plugin,
        String runtime,
        String kernelCmdline,
        String kernelOverride,
        Resources resources,
        Api api,
        Manifest manifest,
        DeviceConfig devices,
        Map<String, Object> metadata,
        List<Expose> expose,
        CloudInit cloudInit,
        NetworkConfig network,
        Initramfs initramfs,
        RootFs rootfs,
        Boolean template) {

    public VmConfig {
        plugin = nz(plugin);
        runtime = nz(runtime);
        kernelCmdline = nz(kernelCmdline);
        kernelOverride = nz(kernelOverride);
        resources = resources == null ? new Resources(0, 0) : resources;
        api = api == null ? new Api("", "") : api;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        expose = expose == null ? List.of() : List.copyOf(expose);
    }

    /** A config naming only the plugin and resources, as in the deployments guide. */
    public static VmConfig of(String plugin, int cpuCores, int memoryMb) {
        return new VmConfig(plugin, "", "", "", new Resources(cpuCores, memoryMb), null, null, null, null, null,
                null, null, null, null, null);
    }

    public VmConfig withPlugin(String v) {
        return new VmConfig(v, runtime, kernelCmdline, kernelOverride, resources, api, manifest, devices, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withExpose(List<Expose> v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, resources, api, manifest, devices, metadata, v, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withRuntime(String v) {
        return new VmConfig(plugin, v, kernelCmdline, kernelOverride, resources, api, manifest, devices, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withKernelCmdline(String v) {
        return new VmConfig(plugin, runtime, v, kernelOverride, resources, api, manifest, devices, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withResources(Resources v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, v, api, manifest, devices, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withApi(Api v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, resources, v, manifest, devices, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withManifest(Manifest v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, resources, api, v, devices, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    public VmConfig withCloudInit(CloudInit v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, resources, api, manifest, devices, metadata, expose, v, network, initramfs, rootfs, template);
    }

    public VmConfig withNetwork(NetworkConfig v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, resources, api, manifest, devices, metadata, expose, cloudInit, v, initramfs, rootfs, template);
    }

    public VmConfig withDevices(DeviceConfig v) {
        return new VmConfig(plugin, runtime, kernelCmdline, kernelOverride, resources, api, manifest, v, metadata, expose, cloudInit, network, initramfs, rootfs, template);
    }

    /** False only when the config opts out of templates ({@code "template": false}). */
    public boolean templateAllowed() {
        return !Boolean.FALSE.equals(template);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** vCPUs and MiB; 0 = not given. */
    public record Resources(int cpuCores, int memoryMb) {}

    /** Guest → volantd endpoint overrides; "" = use the defaults of control-plane.md §1.7. */
    public record Api(String host, String port) {
        public Api {
            host = host == null ? "" : host;
            port = port == null ? "" : port;
        }
    }

    /** A Drift port exposure rule (control-plane.md §4.1, §9). */
    public record Expose(String name, String protocol, int port, int hostPort, String mode) {
        public Expose {
            name = name == null ? "" : name;
            protocol = protocol == null ? "" : protocol;
            mode = mode == null ? "" : mode;
        }
    }
}
