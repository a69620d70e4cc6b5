package io.volant.volantd.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * driftd over java.net.http (api-and-cli.md §2.9): trailing {@code /} trimmed from the endpoint, bearer key when set
 * (never logged), 15 s connect and request timeout.
 */
public final class HttpDriftClient implements DriftClient {
    private static final Logger log = LoggerFactory.getLogger(HttpDriftClient.class);
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String endpoint;
    private final String apiKey;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public HttpDriftClient(String endpoint, String apiKey) {
        String e = endpoint.trim();
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        this.endpoint = e;
        this.apiKey = apiKey == null ? "" : apiKey.trim();
    }

    /** The endpoint after trimming, as requests use it. */
    public String endpoint() {
        return endpoint;
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
    public void deleteRoute(String protocol, int hostPort) {
        call("DELETE", "/routes/" + protocol.toLowerCase(Locale.ROOT) + "/" + hostPort, null);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(TIMEOUT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)));
        } catch (IOException | IllegalArgumentException e) {
            throw new DriftException(502, describe(e), e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (!apiKey.isEmpty()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            log.warn("driftd unreachable method={} path={} error={}", method, path, describe(e));
            throw new DriftException(502, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriftException(502, "interrupted", e);
        }
        JsonNode node = parse(r.body());
        if (r.statusCode() / 100 != 2) {
            String message = node != null && node.hasNonNull("error") ? node.get("error").asText()
                    : "driftd returned status " + r.statusCode();
            throw new DriftException(r.statusCode(), message, null);
        }
        return node == null ? mapper.nullNode() : node;
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
