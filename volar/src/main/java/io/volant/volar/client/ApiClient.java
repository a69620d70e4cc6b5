package io.volant.volar.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.volant.manifest.LazySslContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * volantd's REST API over {@code java.net.http}. Every call blocks; errors surface as {@link ApiException} (the
 * server answered non-2xx, message = its {@code error} member) or {@link TransportException} (no answer). The base
 * URL's path is kept as a prefix (api-and-cli.md §5.1 Chosen); the API key, when set, goes out as
 * {@code X-Volant-API-Key} on every request and WebSocket handshake. {@link #close()} it when done: its selector
 * thread sits in native code, and the JVM's exit waits up to 300 ms for such threads.
 */
public final class ApiClient implements AutoCloseable {
    /** How long {@link #close()} waits for the selector thread to end (it ends at once unless the host stalls). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    public static final String KEY_HEADER = "X-Volant-API-Key";
    /** volantd's header carrying a refused WebSocket handshake's message, URL-encoded. */
    static final String REFUSAL_HEADER = "X-Volant-Error";

    private final String base;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final Json json;

    /**
     * @param base    e.g. {@code http://127.0.0.1:7777} (a trailing {@code /} is dropped)
     * @param apiKey  "" for none
     * @param timeout total time allowed per request (streams are exempt)
     */
    public ApiClient(String base, String apiKey, Duration timeout, Json json) {
        this(base, apiKey, timeout, json, Map.of());
    }

    /** @param env environment variables for the standard proxy settings */
    public ApiClient(String base, String apiKey, Duration timeout, Json json, Map<String, String> env) {
        this(base, apiKey, timeout, json, env, null);
    }

    /** @param tls the TLS context for {@code https} bases ({@link ClientTls}); null = the JDK's defaults */
    public ApiClient(String base, String apiKey, Duration timeout, Json json, Map<String, String> env,
                     javax.net.ssl.SSLContext tls) {
        this(base, apiKey, timeout, json, env, tls == null ? new LazySslContext() : tls, tls == null);
    }

    /**
     * @param lazyDefaults whether {@code tls} is a {@link LazySslContext}: its parameters are then left to the engine
     *                     (asking the context for them would build what it defers: the JDK's trust store)
     */
    ApiClient(String base, String apiKey, Duration timeout, Json json, Map<String, String> env,
              javax.net.ssl.SSLContext tls, boolean lazyDefaults) {
        this.base = stripSlash(base);
        URI parsed = URI.create(this.base);
        if (parsed.getScheme() == null || parsed.getHost() == null
                || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))) {
            throw new IllegalArgumentException("invalid --api address \"" + base + "\" (expected http(s)://host:port)");
        }
        this.apiKey = apiKey == null ? "" : apiKey;
        this.timeout = timeout;
        this.json = json;
        json.prepareParser(); // while this client is built and its request is in flight
        // HTTP/1.1: volantd speaks it, and the default (HTTP/2) adds an h2c upgrade attempt to every plain request.
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .sslContext(tls);
        if (lazyDefaults) {
            b.sslParameters(LazySslContext.clientParameters());
        }
        EnvProxySelector proxies = new EnvProxySelector(env);
        if (proxies.configured()) {
            b.proxy(proxies);
        }
        this.http = b.build();
    }

    public String base() {
        return base;
    }

    public Duration timeout() {
        return timeout;
    }

    public Json json() {
        return json;
    }

    public JsonNode get(String path) {
        return send("GET", path, null).json(json);
    }

    public JsonNode post(String path, JsonNode body) {
        return send("POST", path, body).json(json);
    }

    public JsonNode patch(String path, JsonNode body) {
        return send("PATCH", path, body).json(json);
    }

    public void delete(String path) {
        send("DELETE", path, null);
    }

    /** Sends a request and returns the answer when it is 2xx; throws {@link ApiException} otherwise. */
    public Response send(String method, String path, JsonNode body) {
        Response r = exchange(method, path, body == null ? null : json.compact(body).getBytes(StandardCharsets.UTF_8),
                body == null ? Map.of() : Map.of("Content-Type", "application/json"), timeout);
        if (r.status() >= 300) {
            throw failure(r, path);
        }
        return r;
    }

    /** Sends a request and returns whatever status came back (used by {@code vms call}, which prints it). */
    public Response exchange(String method, String path, byte[] body, Map<String, String> headers, Duration limit) {
        HttpRequest.Builder b = request(path).timeout(limit)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (HttpTimeoutException e) {
            throw new TransportException("no answer from volantd at " + base + " within " + Durations.format(limit), e);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliInterruptedException();
        }
    }

    /** Opens a long-lived response (Server-Sent Events); only the connection, not the stream, is time-limited. */
    public InputStream openStream(String path, String accept) {
        HttpRequest req = request(path).header("Accept", accept).GET().build();
        try {
            HttpResponse<InputStream> r = http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.statusCode() >= 300) {
                byte[] body;
                try (InputStream in = r.body()) {
                    body = in.readNBytes(64 * 1024);
                }
                throw failure(new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body),
                        path);
            }
            return r.body();
        } catch (TimeoutException e) {
            throw new TransportException("no answer from volantd at " + base + " within " + Durations.format(timeout), e);
        } catch (ExecutionException e) {
            throw unreachable(e.getCause());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliInterruptedException();
        }
    }

    /**
     * Opens a WebSocket on {@code path} ({@code ws}/{@code wss} from the base URL). A refused handshake becomes an
     * {@link ApiException} carrying the server's status and message.
     */
    public WebSocket webSocket(String path, WebSocket.Listener listener) {
        URI uri = URI.create(base.replaceFirst("^http", "ws") + path);
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        if (!apiKey.isEmpty()) {
            b.header(KEY_HEADER, apiKey);
        }
        try {
            return b.buildAsync(uri, listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TransportException("no answer from volantd at " + base + " within " + Durations.format(timeout), e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof java.net.http.WebSocketHandshakeException h) {
                // The JDK drops a refusal's body; volantd repeats its message in a header (api-and-cli.md §2.10).
                HttpResponse<?> r = h.getResponse();
                String message = r.headers().firstValue(REFUSAL_HEADER)
                        .map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8)).filter(m -> !m.isEmpty())
                        .orElse("websocket handshake refused");
                throw new ApiException(r.statusCode(), message, path, !apiKey.isEmpty(), false);
            }
            throw unreachable(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliInterruptedException();
        }
    }

    /**
     * Stops the client's selector thread and waits (bounded) until it has ended. The JVM's exit waits up to 300 ms
     * for any thread still in native code ({@code VM_Exit::wait_for_threads_in_native_to_block}), and the selector
     * sits in {@code epoll_wait}: without this, every command's exit took 300 ms of waiting, most of a short
     * command's wall time. Open streams and WebSockets are cut; call it when the command is done.
     */
    @Override
    public void close() {
        http.shutdownNow();
        try {
            http.awaitTermination(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} has stopped the client's thread. */
    boolean closed() {
        return http.isTerminated();
    }

    /** Encodes one path segment (names are opaque to lookups, so anything may appear). */
    public static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (!apiKey.isEmpty()) {
            b.header(KEY_HEADER, apiKey);
        }
        return b;
    }

    private TransportException unreachable(Throwable e) {
        return new TransportException("cannot reach volantd at " + base + ": " + describe(e), e);
    }

    /** The most specific message in a cause chain; the JDK often leaves the outer ConnectException's blank. */
    static String describe(Throwable e) {
        String found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                found = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (found == null && e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return found != null ? found : e.getClass().getSimpleName();
    }

    /** A non-2xx answer as an exception that knows what was asked and whether the answer was an HTML page. */
    public ApiException failure(Response r, String path) {
        String text = r.text().stripLeading().toLowerCase(java.util.Locale.ROOT);
        boolean html = r.contentType().contains("html") || text.startsWith("<!doctype") || text.startsWith("<html");
        return new ApiException(r.status(), html ? "" : errorMessage(r), path.split("\\?", 2)[0], !apiKey.isEmpty(),
                html);
    }

    private String errorMessage(Response r) {
        String text = new String(r.body(), StandardCharsets.UTF_8).trim();
        try {
            JsonNode n = json.read(text.getBytes(StandardCharsets.UTF_8));
            if (n != null && n.hasNonNull("error") && !n.get("error").asText().isBlank()) {
                return n.get("error").asText();
            }
            if (n != null && n.hasNonNull("message")) {
                return n.get("message").asText();
            }
        } catch (IOException ignored) {
            // not JSON: fall through to the raw text
        }
        return text.isEmpty() ? "request failed" : text;
    }

    private static String stripSlash(String s) {
        String t = s.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** A complete answer. */
    public record Response(int status, String contentType, byte[] body) {
        public JsonNode json(Json json) {
            if (body.length == 0) {
                return NullNode.getInstance();
            }
            try {
                return json.read(body);
            } catch (IOException e) {
                throw new TransportException("decode response: " + e.getMessage(), e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
