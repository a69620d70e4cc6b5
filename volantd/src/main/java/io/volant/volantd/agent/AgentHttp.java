package io.volant.volantd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * volantd's one HTTP/1.1 client for streams it does not reach by URL (host-runtime.md §7.3): java.net.http, straight
 * to the guest when the transport is plain TCP from volantd's namespace, otherwise through a {@link LoopbackBridge}
 * relay per target (inside {@code VOLANT_NETNS}, hybrid vsock, a Unix socket), whose connections the client keeps
 * alive and reuses. A relay nobody used for {@link #RELAY_IDLE} is closed. {@link #open} streams the response body
 * (agent proxy, actions, logs stream); {@link #request} reads it whole, capped.
 */
public final class AgentHttp implements AutoCloseable {
    /** How long an unused relay stays open. */
    static final Duration RELAY_IDLE = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Headers the client sets itself (java.net.http refuses the first five), dropped from the caller's. */
    private static final Set<String> OWN_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "te", "trailer", "transfer-encoding");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(CONNECT_TIMEOUT).build();
    private final Map<String, LoopbackBridge> relays = new ConcurrentHashMap<>();

    /** A complete response; header names lower-cased. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A response whose body is still on the wire, header names case-insensitive; closing it releases the connection. */
    public record Streamed(int status, Map<String, List<String>> headers, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * Sends one request and returns once the response head is read; the body is decoded lazily and never capped.
     *
     * @param path          starts with {@code /} (added when missing) and may carry a raw query
     * @param headerTimeout time allowed until the response head is read
     * @throws HttpTimeoutException {@code agent <target> did not answer within <n> ms}
     * @throws IOException          when the guest cannot be reached or does not speak HTTP
     */
    public Streamed open(AgentTransport transport, int port, String method, String path,
                         Map<String, List<String>> headers, byte[] body, Duration headerTimeout) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(transport, port, path)).timeout(headerTimeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, vs) -> {
            if (!OWN_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<InputStream> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            var timeout = new HttpTimeoutException("agent " + transport.describe() + " did not answer within "
                    + headerTimeout.toMillis() + " ms");
            timeout.initCause(e);
            throw timeout;
        } catch (IllegalArgumentException e) {
            throw new IOException("agent request refused: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for agent " + transport.describe(), e);
        }
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // names arrive lower-cased
        r.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":")) {
                h.put(k, v);
            }
        });
        return new Streamed(r.statusCode(), h, r.body());
    }

    /** {@link #request(AgentTransport, int, String, String, Map, byte[], int, Duration)} with 30 s to the head. */
    public Response request(AgentTransport transport, int port, String method, String path,
                            Map<String, String> headers, byte[] body, int maxBody) throws IOException {
        return request(transport, port, method, path, headers, body, maxBody, Duration.ofSeconds(30));
    }

    /**
     * Sends one request and reads the whole response.
     *
     * @param headerTimeout time allowed until the response head is read
     * @throws IOException {@code agent response exceeds <maxBody> bytes} when the body is longer
     */
    public Response request(AgentTransport transport, int port, String method, String path,
                            Map<String, String> headers, byte[] body, int maxBody, Duration headerTimeout)
            throws IOException {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        try (Streamed s = open(transport, port, method, path, multi, body, headerTimeout)) {
            byte[] bytes = s.body().readNBytes(maxBody + 1);
            if (bytes.length > maxBody) {
                throw new IOException("agent response exceeds " + maxBody + " bytes");
            }
            Map<String, String> lower = new LinkedHashMap<>();
            s.headers().forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            return new Response(s.status(), lower, bytes);
        }
    }

    private URI uri(AgentTransport transport, int port, String path) throws IOException {
        String p = path.startsWith("/") ? path : "/" + path;
        String host = transport.directHost().orElse(null);
        int target = port;
        if (host == null) {
            host = "127.0.0.1";
            target = relay(transport, port).localPort();
        }
        try {
            return new URI("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + target + p);
        } catch (java.net.URISyntaxException e) {
            throw new IOException("invalid agent path \"" + path + "\": " + e.getMessage(), e);
        }
    }

    private LoopbackBridge relay(AgentTransport transport, int port) throws IOException {
        for (String k : relays.keySet()) {
            relays.computeIfPresent(k, (key, r) -> r.idleFor(RELAY_IDLE) ? closed(r) : r);
        }
        try {
            return relays.compute(transport.describe() + "#" + port, (key, r) -> {
                LoopbackBridge relay = r;
                if (relay == null) {
                    try {
                        relay = LoopbackBridge.relay(transport, port);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                relay.use(transport); // under the key's lock: the idle sweep cannot close it now
                return relay;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static LoopbackBridge closed(LoopbackBridge relay) {
        relay.close();
        return null;
    }

    /** Closes every relay and the client's connections. */
    @Override
    public void close() {
        relays.values().forEach(LoopbackBridge::close);
        relays.clear();
        client.shutdownNow();
    }
}
