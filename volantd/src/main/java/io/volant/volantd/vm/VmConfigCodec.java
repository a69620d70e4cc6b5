package io.volant.volantd.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.manifest.CloudInit;
import io.volant.manifest.DeviceConfig;
import io.volant.manifest.Initramfs;
import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.manifest.NetworkConfig;
import io.volant.manifest.RootFs;
import io.volant.volantd.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON form of {@link VmConfig} (control-plane.md §4.1 serialization rules), shared by the store and the HTTP
 * layer. Unknown members are ignored; JSON {@code null} counts as absent; wrong types give 400
 * {@code vmconfig: decode: <detail>} naming the member.
 */
public final class VmConfigCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private VmConfigCodec() {}

    private static ObjectMapper mapper() {
        return Manifests.mapper();
    }

    /** The members a client may send in a config (PATCH or PUT); {@link #toJson} writes no others. */
    public static final java.util.Set<String> MEMBERS = java.util.Set.of("plugin", "runtime", "kernel_cmdline",
            "kernel_override", "resources", "api", "manifest", "devices", "metadata", "expose", "cloud_init", "network",
            "initramfs", "rootfs");

    /**
     * Rejects members no config has, so a typo ({@code resource}) is a 400 instead of a new version that changed
     * nothing. Stored configs are still read leniently ({@link #fromJson}).
     */
    public static void rejectUnknown(JsonNode body) {
        if (body == null || !body.isObject()) {
            return;
        }
        java.util.List<String> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(n -> {
            if (!MEMBERS.contains(n)) {
                unknown.add(n);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidArgumentException("unknown config key" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown.stream().map(u -> "\"" + u + "\"").toList()) + " (known: "
                    + String.join(", ", MEMBERS.stream().sorted().toList()) + ")");
        }
    }

    /** Encodes with the omission rules of §4.1. */
    public static ObjectNode toJson(VmConfig c) {
        ObjectNode o = F.objectNode();
        o.put("plugin", c.plugin());
        putIfNotEmpty(o, "runtime", c.runtime());
        putIfNotEmpty(o, "kernel_cmdline", c.kernelCmdline());
        putIfNotEmpty(o, "kernel_override", c.kernelOverride());
        ObjectNode res = o.putObject("resources");
        res.put("cpu_cores", c.resources().cpuCores());
        res.put("memory_mb", c.resources().memoryMb());
        ObjectNode api = o.putObject("api");
        putIfNotEmpty(api, "host", c.api().host());
        putIfNotEmpty(api, "port", c.api().port());
        if (c.manifest() != null) {
            o.set("manifest", mapper().valueToTree(c.manifest()));
        }
        if (c.devices() != null) {
            o.set("devices", mapper().valueToTree(c.devices()));
        }
        if (!c.metadata().isEmpty()) {
            o.set("metadata", mapper().valueToTree(c.metadata()));
        }
        if (!c.expose().isEmpty()) {
            ArrayNode arr = o.putArray("expose");
            for (VmConfig.Expose e : c.expose()) {
                ObjectNode x = arr.addObject();
                putIfNotEmpty(x, "name", e.name());
                putIfNotEmpty(x, "protocol", e.protocol());
                x.put("port", e.port());
                if (e.hostPort() != 0) {
                    x.put("host_port", e.hostPort());
                }
                putIfNotEmpty(x, "mode", e.mode());
            }
        }
        if (c.cloudInit() != null) {
            o.set("cloud_init", mapper().valueToTree(c.cloudInit()));
        }
        if (c.network() != null) {
            o.set("network", mapper().valueToTree(c.network()));
        }
        if (c.initramfs() != null) {
            o.set("initramfs", mapper().valueToTree(c.initramfs()));
        }
        if (c.rootfs() != null) {
            o.set("rootfs", mapper().valueToTree(c.rootfs()));
        }
        if (c.template() != null) {
            o.put("template", c.template());
        }
        return o;
    }

    /** Compact JSON text. */
    public static String toJsonString(VmConfig c) {
        try {
            return mapper().writeValueAsString(toJson(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encode vm config: " + e.getMessage(), e);
        }
    }

    /** Decodes stored JSON: {@code vmconfig: empty configuration payload}, {@code vmconfig: decode: <err>}. */
    public static VmConfig fromJsonString(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidArgumentException("vmconfig: empty configuration payload");
        }
        try {
            return fromJson(mapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("vmconfig: decode: " + e.getOriginalMessage(), e);
        }
    }

    /** Decodes a client- or store-supplied config object. */
    public static VmConfig fromJson(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            throw new InvalidArgumentException("vmconfig: empty configuration payload");
        }
        if (!json.isObject()) {
            throw new InvalidArgumentException("vmconfig: decode: config must be a JSON object");
        }
        VmConfig.Resources res = new VmConfig.Resources(0, 0);
        JsonNode r = present(json, "resources");
        if (r != null) {
            object(r, "resources");
            res = new VmConfig.Resources(integer(r, "cpu_cores", "resources.cpu_cores"),
                    integer(r, "memory_mb", "resources.memory_mb"));
        }
        VmConfig.Api api = null;
        JsonNode a = present(json, "api");
        if (a != null) {
            object(a, "api");
            api = new VmConfig.Api(text(a, "host", "api.host"), portText(a));
        }
        return new VmConfig(text(json, "plugin", "plugin"), text(json, "runtime", "runtime"),
                text(json, "kernel_cmdline", "kernel_cmdline"), text(json, "kernel_override", "kernel_override"),
                res, api, as(json, "manifest", Manifest.class), devices(present(json, "devices")), metadata(json),
                expose(json), as(json, "cloud_init", CloudInit.class), as(json, "network", NetworkConfig.class),
                as(json, "initramfs", Initramfs.class), as(json, "rootfs", RootFs.class), bool(json, "template", "template"));
    }

    /** Decodes a {@code devices} object; {@code vfio} is accepted as an alias of {@code pci_passthrough}. */
    static DeviceConfig devices(JsonNode d) {
        if (d == null) {
            return null;
        }
        object(d, "devices");
        ObjectNode copy = ((ObjectNode) d).deepCopy();
        if (!copy.hasNonNull("pci_passthrough") && copy.hasNonNull("vfio")) {
            copy.set("pci_passthrough", copy.get("vfio"));
        }
        copy.remove("vfio");
        return convert(copy, DeviceConfig.class, "devices");
    }

    static JsonNode present(JsonNode o, String member) {
        JsonNode n = o.get(member);
        return n == null || n.isNull() ? null : n;
    }

    private static void object(JsonNode n, String field) {
        if (!n.isObject()) {
            throw new InvalidArgumentException("vmconfig: decode: " + field + " must be an object");
        }
    }

    static String text(JsonNode o, String member, String field) {
        JsonNode n = present(o, member);
        if (n == null) {
            return "";
        }
        if (!n.isTextual()) {
            throw new InvalidArgumentException("vmconfig: decode: " + field + " must be a string");
        }
        return n.asText();
    }

    private static String portText(JsonNode a) {
        JsonNode n = present(a, "port");
        if (n == null) {
            return "";
        }
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        return text(a, "port", "api.port");
    }

    /** A boolean member; null when absent or null. */
    static Boolean bool(JsonNode o, String member, String field) {
        JsonNode n = present(o, member);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw new InvalidArgumentException("vmconfig: decode: " + field + " must be a boolean");
        }
        return n.booleanValue();
    }

    static int integer(JsonNode o, String member, String field) {
        JsonNode n = present(o, member);
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new InvalidArgumentException("vmconfig: decode: " + field + " must be an integer");
        }
        return n.intValue();
    }

    private static Map<String, Object> metadata(JsonNode json) {
        JsonNode m = present(json, "metadata");
        if (m == null) {
            return Map.of();
        }
        object(m, "metadata");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = convert(m, LinkedHashMap.class, "metadata");
        return map;
    }

    private static List<VmConfig.Expose> expose(JsonNode json) {
        JsonNode e = present(json, "expose");
        if (e == null) {
            return List.of();
        }
        if (!e.isArray()) {
            throw new InvalidArgumentException("vmconfig: decode: expose must be an array");
        }
        List<VmConfig.Expose> out = new ArrayList<>();
        int i = 0;
        for (JsonNode x : e) {
            String f = "expose[" + i++ + "]";
            object(x, f);
            out.add(new VmConfig.Expose(text(x, "name", f + ".name"), text(x, "protocol", f + ".protocol"),
                    integer(x, "port", f + ".port"), integer(x, "host_port", f + ".host_port"), text(x, "mode", f + ".mode")));
        }
        return out;
    }

    private static <T> T as(JsonNode json, String member, Class<T> type) {
        JsonNode n = present(json, member);
        if (n == null) {
            return null;
        }
        object(n, member);
        return convert(n, type, member);
    }

    static <T> T convert(JsonNode n, Class<T> type, String field) {
        try {
            return mapper().treeToValue(n, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidArgumentException("vmconfig: decode: " + field + ": " + detail, e);
        }
    }

    /** Jackson serializer delegating to {@link #toJson(VmConfig)}. */
    public static final class Writer extends com.fasterxml.jackson.databind.ser.std.StdSerializer<VmConfig> {
        private static final long serialVersionUID = 1L;

        public Writer() {
            super(VmConfig.class);
        }

        @Override
        public void serialize(VmConfig value, com.fasterxml.jackson.core.JsonGenerator gen,
                              com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
            gen.writeTree(toJson(value));
        }
    }

    private static void putIfNotEmpty(ObjectNode o, String k, String v) {
        if (v != null && !v.isEmpty()) {
            o.put(k, v);
        }
    }
}
