package io.volant.kestrel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/devtools} (plugins-and-guest.md §2.11 Chosen): describes a Chrome DevTools endpoint configured by
 * {@code volant_AGENT_REMOTE_DEBUGGING_ADDR}/{@code _PORT}, by asking it for {@code /json/version}.
 */
final class DevtoolsHandler {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;
    private final String address;
    private final int port;

    DevtoolsHandler(HttpClient client, String address, int port) {
        this.client = client;
        this.address = address.isEmpty() ? "127.0.0.1" : address;
        this.port = port;
    }

    void handle(HttpExchange ex) throws IOException {
        if (port <= 0) {
            HttpIo.error(ex, 404, "devtools not available");
            return;
        }
        URI version = URI.create("http://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port
                + "/json/version");
        JsonNode info;
        try {
            HttpResponse<byte[]> rsp = client.send(HttpRequest.newBuilder(version).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (rsp.statusCode() != 200) {
                HttpIo.error(ex, 503, "devtools endpoint " + version + " answered " + rsp.statusCode());
                return;
            }
            info = new ObjectMapper().readTree(rsp.body());
        } catch (IOException e) {
            HttpIo.error(ex, 503, "devtools endpoint " + version + " unreachable: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpIo.error(ex, 503, "interrupted");
            return;
        }
        String wsUrl = info.path("webSocketDebuggerUrl").asText("");
        String wsPath = "";
        try {
            wsPath = wsUrl.isEmpty() ? "" : URI.create(wsUrl).getRawPath();
        } catch (IllegalArgumentException e) {
            // Leave the path empty; volantd then defaults it (§2.11).
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("websocket_url", wsUrl);
        body.put("websocket_path", wsPath == null ? "" : wsPath);
        body.put("browser_version", info.path("Browser").asText(""));
        body.put("user_agent", info.path("User-Agent").asText(""));
        body.put("address", address);
        body.put("port", port);
        HttpIo.json(ex, 200, body);
    }
}
