package io.volant.volantd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A tiny real HTTP client for the integration tests (java.net.http, HTTP/1.1). */
public final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Api(String base) {
        this.base = base;
    }

    public String base() {
        return base;
    }

    public HttpClient client() {
        return client;
    }

    public Resp get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public Resp post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    public Resp put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    public Resp patch(String path, String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    public Resp delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** {@code headers} are name/value pairs. */
    public Resp send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && body.length() > 1 << 20) {
            // As curl does for large bodies: an answer that refuses the body (413) comes before it is sent, instead
            // of racing the server's close (the client could read a reset instead of the answer).
            b.expectContinue(true);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Installs a plugin manifest from the test resources ({@code it/<file>}). */
    public Resp install(String resource) {
        try {
            Path p = Path.of(Api.class.getResource("/it/" + resource).toURI());
            return post("/api/v1/plugins", Files.readString(p));
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String json(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response: status, raw body, parsed JSON (missing node when not JSON), headers. */
    public record Resp(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        public String error() {
            return json().path("error").asText(null);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
