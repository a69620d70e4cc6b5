package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.vfio.VfioException;
import io.volant.volantd.vfio.VfioManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * VFIO routes (api-and-cli.md §2.8). Every address is checked against the PCI pattern before anything touches
 * sysfs (Chosen). Manager failures are 500 {@code {"error":…,"code":"internal"}} ({@code bind} adds {@code "success":false}).
 */
final class VfioRoutes {
    static final Pattern PCI = Pattern.compile("^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$");

    private final VfioManager vfio;
    private final Json json;

    VfioRoutes(VfioManager vfio, Json json) {
        this.vfio = vfio;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.post("/api/v1/vfio/devices/info", this::info);
        r.post("/api/v1/vfio/devices/validate", this::validate);
        r.post("/api/v1/vfio/devices/iommu-groups", this::iommuGroups);
        r.post("/api/v1/vfio/devices/bind", this::bind);
        r.post("/api/v1/vfio/devices/unbind", this::unbind);
        r.post("/api/v1/vfio/devices/group-paths", this::groupPaths);
    }

    private void info(Context ctx) {
        String address = Params.requiredString(json.readObject(ctx), "pci_address");
        checkFormat(List.of(address));
        try {
            json.respond(ctx, 200, vfio.info(address));
        } catch (VfioException e) {
            failed(ctx, e, Map.of());
        }
    }

    private void validate(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        List<String> addresses = addresses(body);
        try {
            checkFormat(addresses);
            vfio.validateDevices(addresses, strings(body, "allowlist"));
            json.respond(ctx, 200, Map.of("valid", true, "message", "All devices are valid and available for passthrough"));
        } catch (ApiException | VfioException e) {
            json.respond(ctx, 200, Map.of("valid", false, "message", e.getMessage(), "errors", List.of(e.getMessage())));
        }
    }

    private void iommuGroups(Context ctx) {
        List<String> addresses = checkFormat(addresses(json.readObject(ctx)));
        try {
            json.respond(ctx, 200, vfio.iommuGroups(addresses));
        } catch (VfioException e) {
            failed(ctx, e, Map.of());
        }
    }

    private void bind(Context ctx) {
        List<String> addresses = checkFormat(addresses(json.readObject(ctx)));
        try {
            vfio.bindDevices(addresses);
            json.respond(ctx, 200, Map.of("success", true,
                    "message", "Devices successfully bound to vfio-pci driver", "bound_devices", addresses));
        } catch (VfioException e) {
            failed(ctx, e, Map.of("success", false, "message", e.getMessage()));
        }
    }

    private void unbind(Context ctx) {
        List<String> addresses = checkFormat(addresses(json.readObject(ctx)));
        try {
            vfio.unbindDevices(addresses);
        } catch (VfioException e) {
            org.slf4j.LoggerFactory.getLogger(VfioRoutes.class).atWarn().addKeyValue("devices", addresses)
                    .log("vfio unbind failed: {}", e.getMessage());
        }
        json.respond(ctx, 200, Map.of("success", true,
                "message", "Devices successfully unbound from vfio-pci driver", "unbound_devices", addresses));
    }

    private void groupPaths(Context ctx) {
        List<String> addresses = checkFormat(addresses(json.readObject(ctx)));
        try {
            json.respond(ctx, 200, Map.of("group_paths", vfio.groupPaths(addresses)));
        } catch (VfioException e) {
            failed(ctx, e, Map.of());
        }
    }

    /** A manager failure: 500 in the error shape ({@code error}, {@code code}) plus the route's own members. */
    private void failed(Context ctx, VfioException e, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
        body.put("error", e.getMessage());
        body.put("code", "internal");
        json.respond(ctx, 500, body);
    }

    private static List<String> addresses(ObjectNode body) {
        if (!body.has("pci_addresses") || body.get("pci_addresses").isNull()) {
            throw ApiException.invalid("pci_addresses is required");
        }
        return strings(body, "pci_addresses");
    }

    private static List<String> strings(ObjectNode body, String member) {
        JsonNode node = body.get(member);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ApiException.invalid("invalid value for " + member);
        }
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw ApiException.invalid("invalid value for " + member);
            }
            out.add(n.asText());
        }
        return out;
    }

    static List<String> checkFormat(List<String> addresses) {
        for (String a : addresses) {
            if (!PCI.matcher(a).matches()) {
                throw ApiException.invalid("invalid PCI address format: " + a + " (expected format: 0000:01:00.0)");
            }
        }
        return addresses;
    }

}
