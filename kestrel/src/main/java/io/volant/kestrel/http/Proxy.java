package io.volant.kestrel.http;

import com.sun.net.httpserver.HttpExchange;
import io.volant.kestrel.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Forwards one request to the workload (plugins-and-guest.md §2.8 proxy behaviour with the Chosen changes, K10):
 * method, raw query, headers and body are forwarded; the response is streamed back, flushed after every read so SSE
 * and long polls work. The only timeout is the route's own ({@code timeout_ms} or the agent default), applied to the
 * arrival of the response headers; a streaming body may run as long as it likes.
 */
public final class Proxy {
    /** RFC 9110 §7.6.1 hop-by-hop headers, plus those the JDK client sets itself and refuses to take. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "host", "content-length", "expect", "http2-settings");

    private final HttpClient client;
    private final Log log;

    public Proxy(HttpClient client, Log log) {
        this.client = client;
        this.log = log;
    }

    /**
     * Forwards {@code ex} to {@code target}.
     *
     * @param timeout zero or negative means none
     */
    public void forward(HttpExchange ex, URI target, Duration timeout) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            HttpIo.error(ex, 400, e.getMessage());
            return;
        }
        String method = ex.getRequestMethod();
        HttpRequest.Builder req = HttpRequest.newBuilder(target)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (timeout.isPositive()) {
            req.timeout(timeout);
        }
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String v : h.getValue()) {
                    req.header(h.getKey(), v);
                }
            }
        }
        HttpResponse<InputStream> rsp;
        try {
            rsp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            log.info("proxy upstream failed", "method", method, "target", target, "error", e);
            HttpIo.error(ex, 502, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpIo.error(ex, 502, "interrupted");
            return;
        }
        try (InputStream upstream = rsp.body()) {
            copyResponse(ex, method, rsp, upstream);
        }
    }

    private static void copyResponse(HttpExchange ex, String method, HttpResponse<InputStream> rsp,
                                     InputStream upstream) throws IOException {
        for (Map.Entry<String, List<String>> h : rsp.headers().map().entrySet()) {
            String name = h.getKey();
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                ex.getResponseHeaders().put(name, h.getValue());
            }
        }
        int status = rsp.statusCode();
        long length = rsp.headers().firstValueAsLong("content-length").orElse(-1);
        boolean noBody = "HEAD".equals(method) || status == 204 || status == 304 || length == 0;
        // -1 = no body; 0 = chunked (length unknown, e.g. SSE); n = fixed length.
        ex.sendResponseHeaders(status, noBody ? -1 : Math.max(length, 0));
        if (noBody) {
            return;
        }
        OutputStream out = ex.getResponseBody();
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = upstream.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        out.close();
    }
}
