package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.Page;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmConfig;
import io.volant.volantd.vm.VmConfigCodec;
import io.volant.volantd.vm.VmQuery;
import io.volant.volantd.vm.VmService;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** VM routes of api-and-cli.md §2.3.1-§2.3.4, plus suspend and resume (docs/api.md). */
final class VmRoutes {
    private final VmService vms;
    private final io.volant.volantd.cluster.NodeDirectory nodes;
    private final Json json;
    private final Views views;

    VmRoutes(VmService vms, io.volant.volantd.cluster.NodeDirectory nodes, Json json, Views views) {
        this.vms = vms;
        this.nodes = nodes;
        this.json = json;
        this.views = views;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/vms", this::list);
        r.post("/api/v1/vms", this::create);
        r.get("/api/v1/vms/{name}", this::get);
        r.delete("/api/v1/vms/{name}", this::destroy);
        r.post("/api/v1/vms/{name}/start", ctx -> json.respond(ctx, 200, vms.start(ctx.pathParam("name"))));
        r.post("/api/v1/vms/{name}/stop", ctx -> json.respond(ctx, 200, vms.stop(ctx.pathParam("name"))));
        r.post("/api/v1/vms/{name}/restart", ctx -> json.respond(ctx, 200, vms.restart(ctx.pathParam("name"))));
        r.post("/api/v1/vms/{name}/suspend", ctx -> json.respond(ctx, 200, vms.suspend(ctx.pathParam("name"))));
        r.post("/api/v1/vms/{name}/resume", ctx -> json.respond(ctx, 200, vms.resume(ctx.pathParam("name"))));
        r.get("/api/v1/vms/{name}/config", ctx -> json.respond(ctx, 200, views.config(vms.config(ctx.pathParam("name")))));
        r.patch("/api/v1/vms/{name}/config", this::patchConfig);
        r.put("/api/v1/vms/{name}/config", this::putConfig);
        r.get("/api/v1/vms/{name}/config/history", this::history);
    }

    private void list(Context ctx) {
        VmQuery q = query(ctx);
        java.util.Optional<java.util.List<ObjectNode>> cluster = nodes.clusterVms();
        if (cluster.isPresent()) {
            clusterList(ctx, q, cluster.get());
            return;
        }
        Page<Vm> page = vms.list(q);
        ctx.header("X-Total-Count", Integer.toString(page.total()));
        json.respond(ctx, 200, page.items());
    }

    /**
     * Cluster mode (docs/cluster.md): every node's VMs with their {@code node}, by name; the status and runtime
     * filters, offset and limit apply (the others on a single host only).
     */
    private void clusterList(Context ctx, VmQuery q, java.util.List<ObjectNode> all) {
        java.util.List<ObjectNode> matching = all.stream()
                .filter(v -> q.statuses().isEmpty() || q.statuses().contains(v.path("status").asText()))
                .filter(v -> q.runtime().isEmpty() || q.runtime().equals(v.path("runtime").asText())).toList();
        ctx.header("X-Total-Count", Integer.toString(matching.size()));
        json.respond(ctx, 200, matching.stream().skip(q.offset())
                .limit(q.limit() == null ? Long.MAX_VALUE : q.limit()).toList());
    }

    private void create(Context ctx) {
        json.respond(ctx, 201, vms.create(createRequest(json.readObject(ctx))));
    }

    private void get(Context ctx) {
        json.respond(ctx, 200, vms.find(ctx.pathParam("name")).orElseThrow(() -> ApiException.notFound("vm not found")));
    }

    private void destroy(Context ctx) {
        vms.destroy(ctx.pathParam("name"));
        ctx.status(204);
    }

    private void patchConfig(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        VmConfigCodec.rejectUnknown(body);
        json.respond(ctx, 200, views.config(vms.patchConfig(ctx.pathParam("name"), body)));
    }

    private void putConfig(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        VmConfigCodec.rejectUnknown(body);
        json.respond(ctx, 200, views.config(vms.replaceConfig(ctx.pathParam("name"), body)));
    }

    private void history(Context ctx) {
        int limit = Params.nonNegative(ctx, "limit", 0);
        json.respond(ctx, 200, vms.configHistory(ctx.pathParam("name"), limit).stream().map(views::history).toList());
    }

    static VmQuery query(Context ctx) {
        Set<String> statuses = new LinkedHashSet<>();
        for (String value : ctx.queryParams("status")) {
            for (String s : value.split(",")) {
                if (!s.isBlank()) {
                    statuses.add(s.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new VmQuery(statuses, nz(ctx.queryParam("runtime")).trim(), nz(ctx.queryParam("plugin")).trim(),
                nz(ctx.queryParam("q")), nz(ctx.queryParam("sort")), "desc".equals(ctx.queryParam("order")),
                Params.nonNegative(ctx, "limit", null), Params.nonNegative(ctx, "offset", 0));
    }

    static CreateVmRequest createRequest(ObjectNode body) {
        String name = Params.string(body, "name");
        if (name.isEmpty()) {
            throw ApiException.invalid("name is required");
        }
        JsonNode config = body.get("config");
        VmConfig vmConfig = config == null || config.isNull() ? null : VmConfigCodec.fromJson(config);
        return new CreateVmRequest(name, Params.string(body, "plugin"), Params.string(body, "runtime"),
                Params.integer(body, "cpu_cores", 0), Params.integer(body, "memory_mb", 0),
                Params.string(body, "kernel_cmdline"), Params.string(body, "api_host"),
                Params.stringOrNumber(body, "api_port"), vmConfig);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
