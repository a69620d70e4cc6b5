package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** driftd client (api-and-cli.md §2.9): {@code <endpoint>/routes}, bearer key when set, 15 s timeout. */
public final class HttpDriftGateway implements DriftGateway {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final String endpoint;
    private final String apiKey;
    private final Json json = new Json();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public HttpDriftGateway(String endpoint, String apiKey) {
        String e = endpoint.trim();
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        this.endpoint = e;
        this.apiKey = apiKey;
    }

    @Override
    public JsonNode listRoutes() {
        return call("GET", "/routes", null);
    }

    @Override
    public JsonNode upsertRoute(JsonNode route) {
        return call("POST", "/routes", route);
    }

    @Override
    public void deleteRoute(String protocol, int port) {
        call("DELETE", "/routes/" + protocol + "/" + port, null);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.write(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (!apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = r.body().isBlank() ? json.mapper().nullNode() : json.mapper().readTree(r.body());
            if (r.statusCode() / 100 != 2) {
                String message = node.hasNonNull("error") ? node.get("error").asText()
                        : "driftd returned status " + r.statusCode();
                throw new ApiException(r.statusCode(), "upstream", message);
            }
            return node;
        } catch (IOException e) {
            throw ApiException.upstream(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.upstream("interrupted");
        }
    }
}
