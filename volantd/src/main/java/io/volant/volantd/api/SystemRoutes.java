package io.volant.volantd.api;

import io.volant.volantd.host.HostStats;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Health, system, OpenAPI and metrics routes (api-and-cli.md §2.1-§2.2, §6.3). */
final class SystemRoutes {
    private final ApiServices services;
    private final Json json;
    private final HostStats host;
    private final OpenApiDocument openapi;
    private final ApiMetrics metrics;

    SystemRoutes(ApiServices services, Json json, HostStats host, OpenApiDocument openapi, ApiMetrics metrics) {
        this.services = services;
        this.json = json;
        this.host = host;
        this.openapi = openapi;
        this.metrics = metrics;
    }

    void register(RoutesConfig r) {
        r.get("/healthz", ctx -> json.respond(ctx, 200, Map.of("status", "ok")));
        r.get("/openapi", ctx -> ctx.contentType(Json.CONTENT_TYPE).result(openapi.render(serverUrl(ctx))));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/api/v1/system/status", this::status);
        r.get("/api/v1/system/info", this::info);
        r.get("/api/v1/system/summary", this::summary);
    }

    private void status(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("vm_count", services.vms().list(VmQuery.all()).total());
        body.put("cpu_percent", host.cpuPercent());
        body.put("mem_percent", host.memPercent());
        json.respond(ctx, 200, body);
    }

    private void info(Context ctx) {
        ApiServices.SystemInfo s = services.system();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("api_listen_addr", s.apiListenAddr());
        body.put("api_advertise_addr", s.apiAdvertiseAddr());
        body.put("host_ip", s.hostIp());
        body.put("version", io.volant.manifest.VolantVersion.get());
        var t = s.templates().get();
        body.put("templates", Map.of("count", t.count(), "memory_bytes", t.memoryBytes(), "disk_bytes", t.diskBytes()));
        var states = services.vms().savedStates();
        var usage = states.usage();
        body.put("suspended", Map.of("vms", usage.count(), "bytes", usage.bytes(), "dir", states.root().toString()));
        json.respond(ctx, 200, body);
    }

    private void summary(Context ctx) {
        List<Vm> vms = services.vms().list(VmQuery.all()).items();
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byRuntime = new TreeMap<>();
        for (Vm vm : vms) {
            byStatus.merge(vm.status().wire(), 1, Integer::sum);
            if (!vm.runtime().isBlank()) {
                byRuntime.merge(vm.runtime().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        List<Plugin> plugins = services.plugins().list();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_vms", vms.size());
        body.put("by_status", byStatus);
        body.put("by_runtime", byRuntime);
        body.put("total_plugins", plugins.size());
        body.put("enabled_plugins", plugins.stream().filter(Plugin::enabled).count());
        body.put("plugins", plugins.stream().map(p -> Map.of("name", p.name(), "version", p.version(), "enabled", p.enabled())).toList());
        json.respond(ctx, 200, body);
    }

    /** {@code <scheme>://<Host>}; https with TLS or {@code X-Forwarded-Proto: https}; empty without Host. */
    static String serverUrl(Context ctx) {
        String hostHeader = ctx.header("Host");
        if (hostHeader == null || hostHeader.isBlank()) {
            return "";
        }
        String forwarded = ctx.header("X-Forwarded-Proto");
        boolean https = ctx.req().isSecure() || (forwarded != null && forwarded.trim().equalsIgnoreCase("https"));
        return (https ? "https://" : "http://") + hostHeader.trim();
    }
}
