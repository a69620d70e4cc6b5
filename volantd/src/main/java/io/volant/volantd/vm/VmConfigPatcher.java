package io.volant.volantd.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.manifest.CloudInit;
import io.volant.manifest.Initramfs;
import io.volant.manifest.Manifest;
import io.volant.manifest.NetworkConfig;
import io.volant.manifest.RootFs;
import io.volant.volantd.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;

/**
 * PATCH of a VM config (control-plane.md §4.7 with the Chosen §4.9): presence-based for scalars, wholesale
 * replacement for objects, JSON merge-patch {@code null} removing the object overrides, {@code network} applied.
 * {@code plugin} is not patchable. Pure.
 */
public final class VmConfigPatcher {
    private VmConfigPatcher() {}

    public static VmConfig apply(VmConfig cur, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidArgumentException("invalid JSON body: config patch must be an object");
        }
        String runtime = cur.runtime();
        if (present(patch, "runtime")) {
            runtime = VmConfigCodec.text(patch, "runtime", "runtime").trim();
        }
        String extras = cur.kernelCmdline();
        if (present(patch, "kernel_cmdline")) {
            extras = VmConfigCodec.text(patch, "kernel_cmdline", "kernel_cmdline").trim();
        }
        String kernel = cur.kernelOverride();
        if (present(patch, "kernel_override")) {
            kernel = VmConfigCodec.text(patch, "kernel_override", "kernel_override").trim();
        }
        VmConfig.Resources res = cur.resources();
        if (present(patch, "resources")) {
            JsonNode r = patch.get("resources");
            int cpu = r.hasNonNull("cpu_cores") ? VmConfigCodec.integer(r, "cpu_cores", "resources.cpu_cores") : res.cpuCores();
            int mem = r.hasNonNull("memory_mb") ? VmConfigCodec.integer(r, "memory_mb", "resources.memory_mb") : res.memoryMb();
            res = new VmConfig.Resources(cpu, mem);
        }
        VmConfig.Api api = cur.api();
        if (patch.has("api")) {
            JsonNode a = patch.get("api");
            if (a.isNull()) {
                api = new VmConfig.Api("", "");
            } else {
                String host = a.has("host") ? (a.get("host").isNull() ? "" : VmConfigCodec.text(a, "host", "api.host").trim()) : api.host();
                String port = api.port();
                if (a.has("port")) {
                    JsonNode p = a.get("port");
                    port = p.isNull() ? "" : p.isIntegralNumber() ? p.asText() : VmConfigCodec.text(a, "port", "api.port").trim();
                }
                api = new VmConfig.Api(host, port);
            }
        }
        Manifest manifest = present(patch, "manifest")
                ? VmConfigCodec.convert(patch.get("manifest"), Manifest.class, "manifest") : cur.manifest();
        var devices = patch.has("devices") ? VmConfigCodec.devices(VmConfigCodec.present(patch, "devices")) : cur.devices();
        Map<String, Object> metadata = cur.metadata();
        if (patch.has("metadata")) {
            JsonNode m = patch.get("metadata");
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = m.isNull() ? Map.of() : VmConfigCodec.convert(m, java.util.LinkedHashMap.class, "metadata");
            metadata = mm;
        }
        List<VmConfig.Expose> expose = cur.expose();
        if (present(patch, "expose")) {
            expose = VmConfigCodec.fromJson(plugin(patch, "expose")).expose();
        }
        CloudInit ci = patch.has("cloud_init") ? obj(patch, "cloud_init", CloudInit.class) : cur.cloudInit();
        NetworkConfig net = patch.has("network") ? obj(patch, "network", NetworkConfig.class) : cur.network();
        Initramfs initramfs = patch.has("initramfs") ? obj(patch, "initramfs", Initramfs.class) : cur.initramfs();
        RootFs rootfs = patch.has("rootfs") ? obj(patch, "rootfs", RootFs.class) : cur.rootfs();
        Boolean template = patch.has("template") ? VmConfigCodec.bool(patch, "template", "template") : cur.template();
        return new VmConfig(cur.plugin(), runtime, extras, kernel, res, api, manifest, devices, metadata, expose, ci, net,
                initramfs, rootfs, template);
    }

    private static boolean present(JsonNode o, String m) {
        return o.has(m) && !o.get(m).isNull();
    }

    private static <T> T obj(JsonNode patch, String member, Class<T> type) {
        JsonNode n = patch.get(member);
        if (n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new InvalidArgumentException("vmconfig: decode: " + member + " must be an object");
        }
        return VmConfigCodec.convert(n, type, member);
    }

    /** A minimal config object holding one member, to reuse the codec's member decoding. */
    private static JsonNode plugin(JsonNode patch, String member) {
        var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        o.set(member, patch.get(member));
        return o;
    }
}
