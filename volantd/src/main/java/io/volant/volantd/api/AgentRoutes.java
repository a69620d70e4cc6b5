package io.volant.volantd.api;

import io.volant.volantd.agent.AgentGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmService;
import io.volant.volantd.vm.VmStatus;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The agent HTTP proxy (api-and-cli.md §2.3.6) and VM plugin actions (§2.3.7). */
final class AgentRoutes {
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host",
            "content-length", "accept-encoding", "x-volant-api-key");
    private static final String PROXY_PREFIX = "/api/v1/vms/";

    private final VmService vms;
    private final PluginRegistry plugins;
    private final AgentGateway agent;
    private final Json json;
    private final ApiSettings settings;
    private final Timeouts timeouts;

    AgentRoutes(VmService vms, PluginRegistry plugins, AgentGateway agent, Json json, ApiSettings settings,
                Timeouts timeouts) {
        this.timeouts = timeouts;
        this.vms = vms;
        this.plugins = plugins;
        this.agent = agent;
        this.json = json;
        this.settings = settings;
    }

    void register(RoutesConfig r) {
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS, HandlerType.CONNECT, HandlerType.TRACE)) {
            r.addHttpHandler(method, "/api/v1/vms/{name}/agent", this::proxy);
            r.addHttpHandler(method, "/api/v1/vms/{name}/agent/<path>", this::proxy);
        }
        r.post("/api/v1/vms/{name}/actions/{plugin}/{action}", this::action);
    }

    private void proxy(Context ctx) throws IOException {
        Vm vm = runningVm(ctx.pathParam("name"), "vm not running");
        if ("websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
            throw ApiException.invalid("websocket upgrade not supported");
        }
        // Bounded like every other body (413 beyond Json.MAX_BODY_BYTES): the body is held in memory until the
        // agent connection is open, and an unbounded one let a single request grow the heap by its size.
        byte[] body = Json.boundedBody(ctx);
        var request = new AgentGateway.Request(ctx.method().name(), agentPath(ctx), forwardHeaders(ctx), body);
        relay(ctx, send(vm, request, timeouts.agentHeaders(), false));
    }

    private void action(Context ctx) throws IOException {
        Actions.Resolved resolved = Actions.resolve(plugins, ctx.pathParam("plugin"), ctx.pathParam("action"));
        JsonNode body = Actions.body(json, ctx);
        Vm vm = runningVm(ctx.pathParam("name"), "vm not ready");
        if (!resolved.manifest().runtime().equals(vm.runtime())) {
            throw ApiException.conflict("vm runtime does not match plugin");
        }
        var a = resolved.action();
        String path = a.path().startsWith("/") ? "/v1" + a.path() : "/v1/" + a.path();
        String method = a.method().isBlank() ? "POST" : a.method().toUpperCase(Locale.ROOT);
        Duration timeout = a.timeoutMs() > 0 ? Duration.ofMillis(a.timeoutMs()) : timeouts.agentHeaders();
        var request = new AgentGateway.Request(method, path,
                Map.of("Content-Type", List.of("application/json")), json.write(body).getBytes(StandardCharsets.UTF_8));
        try (AgentGateway.Response response = send(vm, request, timeout, true)) {
            actionResult(ctx, response);
        }
    }

    /** Timeouts: an action's is 504 {@code action timed out}; the proxy's a transport failure (502, its text). */
    private AgentGateway.Response send(Vm vm, AgentGateway.Request request, Duration timeout, boolean action) {
        try {
            return agent.send(vm.name(), vm.ipAddress(), request, timeout);
        } catch (HttpTimeoutException e) {
            if (action) {
                throw new ApiException(504, "upstream", "action timed out");
            }
            throw ApiException.upstream(e.getMessage());
        } catch (IOException e) {
            throw ApiException.upstream(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private void actionResult(Context ctx, AgentGateway.Response response) throws IOException {
        byte[] payload = response.body().readAllBytes();
        if (response.status() >= 300) {
            throw new ApiException(response.status(), "upstream", agentError(payload, response.status()));
        }
        if (payload.length == 0) {
            ctx.status(202);
            return;
        }
        String type = first(response.headers(), "content-type");
        ctx.status(response.status()).contentType(type == null ? Json.CONTENT_TYPE : type).result(payload);
    }

    private String agentError(byte[] payload, int status) {
        try {
            JsonNode node = json.mapper().readTree(payload);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: fall back to the reason phrase
        }
        return io.javalin.http.HttpStatus.forStatus(status).getMessage();
    }

    private Vm runningVm(String name, String notRunning) {
        Vm vm = vms.find(name).orElseThrow(() -> ApiException.notFound("vm not found"));
        if (vm.status() != VmStatus.RUNNING) {
            throw ApiException.conflict(notRunning);
        }
        return vm;
    }

    private void relay(Context ctx, AgentGateway.Response response) {
        ctx.status(response.status());
        response.headers().forEach((k, values) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type")) {
                // Through ctx, so it replaces Javalin's default instead of adding a second Content-Type.
                values.stream().findFirst().ifPresent(ctx::contentType);
            } else if (!HOP_BY_HOP.contains(lower)) {
                values.forEach(v -> ctx.res().addHeader(k, v));
            }
        });
        ctx.result(response.body());
    }

    /** The agent path: everything after {@code /agent}, verbatim, plus the raw query without {@code api_key}. */
    private static String agentPath(Context ctx) {
        String uri = ctx.req().getRequestURI();
        int at = uri.indexOf("/agent", PROXY_PREFIX.length());
        String path = at < 0 ? "" : uri.substring(at + "/agent".length());
        if (path.isEmpty()) {
            path = "/";
        }
        String query = stripApiKey(ctx.req().getQueryString());
        return query.isEmpty() ? path : path + "?" + query;
    }

    /**
     * The raw query without any parameter that decodes to {@code api_key}: the server authenticates with the decoded
     * name, so {@code api%5Fkey} or {@code %61pi_key} carry the key just as well and must not reach the guest. A name
     * that does not decode (a stray {@code %}) is dropped too: it is not worth forwarding a key by mistake.
     */
    static String stripApiKey(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String decoded;
            try {
                decoded = java.net.URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!decoded.equals("api_key")) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    private Map<String, List<String>> forwardHeaders(Context ctx) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : java.util.Collections.list(ctx.req().getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || (lower.equals("authorization") && carriesKey(ctx.header(name)))) {
                continue;
            }
            out.put(name, java.util.Collections.list(ctx.req().getHeaders(name)));
        }
        Object client = ctx.attribute(AccessPolicy.CLIENT_IP);
        out.put("X-Forwarded-For", List.of(client == null ? ctx.req().getRemoteAddr() : client.toString()));
        out.put("X-Forwarded-Proto", List.of(ctx.scheme()));
        return out;
    }

    private boolean carriesKey(String authorization) {
        return settings.keyRequired() && authorization != null && authorization.contains(settings.apiKey());
    }

    static String first(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
