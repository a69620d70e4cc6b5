package io.volant.volantd.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.drift.DriftClient;
import java.util.Locale;

/**
 * Drift routes (api-and-cli.md §2.9), forwarded to driftd. Not configured → 503 {@code drift not configured};
 * driftd's non-2xx status and error pass through; transport failures are 502 (both via {@link ErrorMapper}).
 */
final class DriftProxyRoutes {
    private final DriftClient drift;
    private final Json json;

    DriftProxyRoutes(DriftClient drift, Json json) {
        this.drift = drift;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/drift/routes", ctx -> json.respond(ctx, 200, drift.listRoutes()));
        r.post("/api/v1/drift/routes", ctx -> json.respond(ctx, 201, drift.upsertRoute(json.readObject(ctx))));
        r.delete("/api/v1/drift/routes/{protocol}/{port}", this::delete);
    }

    private void delete(Context ctx) {
        int port = port(ctx.pathParam("port"));
        drift.deleteRoute(ctx.pathParam("protocol").toLowerCase(Locale.ROOT), port);
        ctx.status(204);
    }

    static int port(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port < 0 || port > 65535) {
                throw ApiException.invalid("invalid port");
            }
            return port;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid port");
        }
    }
}
