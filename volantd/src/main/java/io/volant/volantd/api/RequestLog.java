package io.volant.volantd.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One log line per request (api-and-cli.md §3.2): {@code http request} with method, path (never the query),
 * status, latency in ms and client_ip; ERROR for 5xx, WARN for 401/403, else INFO. Bodies and keys are never
 * logged. Also feeds the HTTP metrics.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.volant.volantd.api.http");

    private final ApiMetrics metrics;

    RequestLog(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    void log(Context ctx, Float millis) {
        int status = ctx.statusCode();
        Level level = status >= 500 ? Level.ERROR : (status == 401 || status == 403) ? Level.WARN : Level.INFO;
        Object client = ctx.attribute(AccessPolicy.CLIENT_IP);
        LOG.atLevel(level)
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("path", ctx.path())
                .addKeyValue("status", status)
                .addKeyValue("latency", String.format(Locale.ROOT, "%.3fms", millis))
                .addKeyValue("client_ip", client == null ? ctx.req().getRemoteAddr() : client.toString())
                .log("http request");
        metrics.request(ctx.method().name(), route(ctx), status, Duration.ofNanos((long) (millis * 1_000_000)));
    }

    /** The matched route template keeps the metric's cardinality bounded. */
    private static String route(Context ctx) {
        try {
            var endpoint = ctx.endpoint();
            return endpoint == null || endpoint.path.isEmpty() || endpoint.path.equals("*") ? "unmatched" : endpoint.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
