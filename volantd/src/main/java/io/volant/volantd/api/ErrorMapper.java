package io.volant.volantd.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.EndpointNotFound;
import io.volant.manifest.ManifestException;
import io.volant.volantd.drift.DriftException;
import io.volant.volantd.errors.VolantException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses (style.md rule 2): typed domain exceptions keep their
 * kind's status, router misses become {@code {"error":"not found"}} / {@code {"error":"method not allowed"}},
 * anything else is a 500 {@code {"error":"internal error"}} logged once with its stack trace.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    /** Body of a router 404; handler 404s always name the missing resource, so tests can tell them apart. */
    public static final String ROUTE_NOT_FOUND = "not found";

    /** A refused WebSocket handshake's error message, URL-encoded (UTF-8), next to the JSON body. */
    public static final String REFUSAL_HEADER = "X-Volant-Error";

    private final Json json;

    public ErrorMapper(Json json) {
        this.json = json;
    }

    public void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage(), e.extra()));
        routes.exception(VolantException.class, (e, ctx) -> domain(ctx, e));
        routes.exception(DriftException.class,
                (e, ctx) -> write(ctx, e.status(), "upstream", e.getMessage(), Map.of()));
        routes.exception(ManifestException.class,
                (e, ctx) -> write(ctx, 400, "invalid", e.getMessage(), Map.of()));
        routes.exception(HttpResponseException.class, this::framework);
        routes.exception(Exception.class, this::unexpected);
    }

    private void domain(Context ctx, VolantException e) {
        if (e.httpStatus() >= 500) {
            LOG.atWarn().addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                    .addKeyValue("status", e.httpStatus()).setCause(e.getCause())
                    .log("request failed: {}", e.getMessage());
        }
        write(ctx, e.httpStatus(), e.kind().code(), e.getMessage(), Map.of());
    }

    private void framework(HttpResponseException e, Context ctx) {
        if (e instanceof EndpointNotFound) {
            write(ctx, 404, "not_found", ROUTE_NOT_FOUND, Map.of());
        } else if (e instanceof MethodNotAllowedResponse) {
            String allow = e.getDetails().values().stream().findFirst().orElse("");
            if (!allow.isEmpty()) {
                ctx.header("Allow", allow.replace("[", "").replace("]", ""));
            }
            write(ctx, 405, "method_not_allowed", "method not allowed", Map.of());
        } else {
            write(ctx, e.getStatus(), e.getStatus() >= 500 ? "internal" : "invalid", e.getMessage(), Map.of());
        }
    }

    private void unexpected(Exception e, Context ctx) {
        LOG.atError().addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path()).setCause(e)
                .log("unhandled exception");
        write(ctx, 500, "internal", "internal error", Map.of());
    }

    private void write(Context ctx, int status, String code, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", ErrorText.bounded(message));
        body.put("code", code);
        body.putAll(extra);
        String text = json.write(body);
        UnreadBody.settle(ctx); // a refused request's body is still on the wire; "after" handlers may not run here
        ctx.status(status).contentType(Json.CONTENT_TYPE);
        if (ctx.header("Sec-WebSocket-Key") != null) {
            // WebSocket clients rarely expose a refusal's body (the JDK's does not): the message travels in a header too.
            ctx.header(REFUSAL_HEADER, java.net.URLEncoder.encode(message == null ? "" : message,
                    java.nio.charset.StandardCharsets.UTF_8));
            // Javalin drops ctx.result() when a handshake is refused; write the body ourselves.
            try {
                byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ctx.res().setContentLength(bytes.length);
                ctx.res().getOutputStream().write(bytes);
                ctx.res().flushBuffer();
            } catch (java.io.IOException e) {
                LOG.atDebug().log("client left before the handshake error was written");
            }
            return;
        }
        ctx.result(text);
    }
}
