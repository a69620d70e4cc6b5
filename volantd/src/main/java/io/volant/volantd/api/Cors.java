package io.volant.volantd.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;

/**
 * CORS of api-and-cli.md §3.3, active only with {@code VOLANT_CORS_ORIGINS}: allowed origins get the six
 * headers. Only a real preflight (OPTIONS with {@code Origin} and {@code Access-Control-Request-Method}) from an
 * allowed origin is answered 204 before the access checks; any other OPTIONS request goes through the access checks
 * and the router like every request (so the agent proxy forwards it to the guest). {@code *} never comes with
 * credentials (browsers reject that pair).
 */
final class Cors {
    private final ApiSettings settings;

    Cors(ApiSettings settings) {
        this.settings = settings;
    }

    /** Returns true when the request was answered (a preflight) and must not go further. */
    boolean apply(Context ctx) {
        if (!settings.corsEnabled()) {
            return false;
        }
        String origin = ctx.header("Origin");
        boolean allowed = origin != null && allows(origin);
        if (allowed) {
            if (settings.corsOrigins().contains("*")) {
                ctx.header("Access-Control-Allow-Origin", "*");
            } else {
                ctx.header("Access-Control-Allow-Origin", origin);
                ctx.header("Access-Control-Allow-Credentials", "true");
            }
            ctx.header("Vary", "Origin");
            ctx.header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
            ctx.header("Access-Control-Allow-Headers",
                    "Content-Type, Authorization, X-Requested-With, X-Volant-API-Key");
            ctx.header("Access-Control-Expose-Headers", "Content-Type, X-Total-Count");
        }
        if (allowed && ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
            return true;
        }
        return false;
    }

    boolean allows(String origin) {
        for (String allowed : settings.corsOrigins()) {
            if (allowed.equals("*") || allowed.toLowerCase(Locale.ROOT).equals(origin.trim().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
