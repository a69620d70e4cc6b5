package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.errors.VolantException;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmQuery;
import io.volant.volantd.vm.VmService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy command endpoint {@code POST /api/v1/mcp} (api-and-cli.md §2.11): always 200
 * {@code {"result":…,"error":…}} except an undecodable body (400, same envelope).
 */
final class McpRoutes {
    private final VmService vms;
    private final Json json;

    McpRoutes(VmService vms, Json json) {
        this.vms = vms;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.post("/api/v1/mcp", this::command);
    }

    private void command(Context ctx) {
        ObjectNode body;
        try {
            body = json.readObject(ctx);
        } catch (ApiException e) {
            json.respond(ctx, 400, envelope(null, e.getMessage()));
            return;
        }
        String command = body.path("command").asText("");
        JsonNode params = body.path("params");
        try {
            json.respond(ctx, 200, envelope(run(command, params), null));
        } catch (ApiException | VolantException e) {
            json.respond(ctx, 200, envelope(null, e.getMessage()));
        }
    }

    private Object run(String command, JsonNode params) {
        return switch (command) {
            case "volant.vms.list" -> vms.list(VmQuery.all()).items().stream().map(McpRoutes::summary).toList();
            case "volant.vms.create" -> summary(vms.create(createRequest(params)));
            case "volant.system.get_capabilities" -> capabilities();
            default -> throw ApiException.invalid("unknown command: " + command);
        };
    }

    private static CreateVmRequest createRequest(JsonNode params) {
        String name = params.path("name").isTextual() ? params.path("name").asText() : "";
        if (name.isEmpty()) {
            throw ApiException.invalid("name param required");
        }
        String plugin = params.path("plugin").asText("").trim();
        if (plugin.isEmpty()) {
            plugin = params.path("runtime").asText("").trim();
        }
        if (plugin.isEmpty()) {
            throw ApiException.invalid("plugin param required");
        }
        int cpu = params.path("cpu_cores").canConvertToInt() ? Math.max(0, params.path("cpu_cores").asInt()) : 0;
        int mem = params.path("memory_mb").canConvertToInt() ? Math.max(0, params.path("memory_mb").asInt()) : 0;
        return new CreateVmRequest(name, plugin, "", cpu, mem, "", "", "", null);
    }

    private static Map<String, Object> summary(Vm vm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", vm.id());
        m.put("name", vm.name());
        m.put("status", vm.status().wire());
        m.put("ip_address", vm.ipAddress());
        m.put("cpu_cores", vm.cpuCores());
        m.put("memory_mb", vm.memoryMb());
        return m;
    }

    private static Map<String, Object> capabilities() {
        Map<String, Object> createParams = new LinkedHashMap<>();
        createParams.put("name", "string (required)");
        createParams.put("plugin", "string (required)");
        createParams.put("cpu_cores", "int (default 2)");
        createParams.put("memory_mb", "int (default 2048)");
        return Map.of("capabilities", List.of(
                Map.of("name", "volant.vms.create", "description", "Create a new microVM", "params", createParams),
                Map.of("name", "volant.vms.list", "description", "List all microVMs", "params", Map.of())));
    }

    /** {@code result} is always present (JSON null on failure); {@code error} only when non-empty. */
    private ObjectNode envelope(Object result, String error) {
        ObjectNode m = json.mapper().createObjectNode();
        m.set("result", json.mapper().valueToTree(result));
        if (error != null && !error.isEmpty()) {
            m.put("error", error);
        }
        return m;
    }
}
