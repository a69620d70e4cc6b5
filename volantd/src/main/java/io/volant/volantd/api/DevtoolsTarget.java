package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * Where a DevTools session is dialled (api-and-cli.md §2.10.3, Chosen): always {@code ws://<vm ip>:<port><path>}
 * with the client's raw query minus {@code api_key}. Port: metadata {@code port}, else that of
 * {@code websocket_url}, else 9222. Path: the route's {@code {path...}} unless empty or {@code /}, then
 * {@code websocket_path}, then the path of {@code websocket_url}, then {@code /devtools/browser}.
 */
final class DevtoolsTarget {
    static final int DEFAULT_PORT = 9222;

    private DevtoolsTarget() {}

    static URI resolve(String vmIp, JsonNode meta, String routePath, String rawQuery) {
        URI advertised = parse(meta.path("websocket_url").asText(""));
        int port = meta.path("port").asInt(0);
        if (port <= 0 && advertised != null && advertised.getPort() > 0) {
            port = advertised.getPort();
        }
        if (port <= 0) {
            port = DEFAULT_PORT;
        }
        String path = routePath == null ? "" : routePath;
        if (path.isEmpty() || path.equals("/")) {
            path = meta.path("websocket_path").asText("");
        }
        if (path.isEmpty() && advertised != null && advertised.getRawPath() != null) {
            path = advertised.getRawPath();
        }
        if (path.isEmpty()) {
            path = "/devtools/browser";
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String query = AgentRoutes.stripApiKey(rawQuery);
        // A guest without a host IP is reached through the agent transport; "localhost" names the guest itself.
        String host = vmIp == null || vmIp.isBlank() ? "localhost" : vmIp;
        return URI.create("ws://" + host + ":" + port + path + (query.isEmpty() ? "" : "?" + query));
    }

    private static URI parse(String url) {
        if (url.isBlank()) {
            return null;
        }
        try {
            return new URI(url);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
