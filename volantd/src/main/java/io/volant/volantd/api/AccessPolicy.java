package io.volant.volantd.api;

import io.volant.volantd.network.Cidr;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what (api-and-cli.md §3.4-§3.6), run in this order: source policy (CIDR allow list, or loopback
 * only without key and list, plus the guest rule), API key, origin check. Each refusal is an
 * {@link ApiException}, so the response is written by {@link ErrorMapper}.
 */
final class AccessPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AccessPolicy.class);
    private static final Pattern GUEST_MANIFEST = Pattern.compile("^/api/v1/plugins/[^/]+/manifest/?$");
    static final String CLIENT_IP = "volant.client_ip";

    private final ApiSettings settings;
    private final Cors cors;
    private final InetAddress hostIp;
    private final byte[] key;

    AccessPolicy(ApiSettings settings, Cors cors) {
        this.settings = settings;
        this.cors = cors;
        this.hostIp = Cidr.literal(settings.hostIp());
        this.key = settings.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    void check(Context ctx, boolean websocket) {
        InetAddress client = clientAddress(ctx);
        ctx.attribute(CLIENT_IP, client.getHostAddress());
        boolean guestRoute = isGuestRoute(ctx);
        if (isGuest(client)) {
            if (!guestRoute) {
                throw ApiException.forbidden("access denied");
            }
            return; // the guest rule needs no key (kestrel cannot send one)
        }
        sourcePolicy(ctx, client);
        apiKey(ctx);
        origin(ctx, websocket);
    }

    private void sourcePolicy(Context ctx, InetAddress client) {
        if (!settings.allowCidrs().isEmpty()) {
            if (!Cidr.anyContains(settings.allowCidrs(), client)) {
                LOG.atWarn().addKeyValue("client_ip", client.getHostAddress()).addKeyValue("path", ctx.path())
                        .log("request blocked by CIDR filter");
                throw ApiException.forbidden("access denied");
            }
            return;
        }
        if (!settings.keyRequired() && !client.isLoopbackAddress()) {
            throw ApiException.forbidden("access denied");
        }
    }

    private void apiKey(Context ctx) {
        if (!settings.keyRequired() || isHealth(ctx)) {
            return;
        }
        String presented = ctx.header("X-Volant-API-Key");
        if (presented == null || presented.isEmpty()) {
            String auth = ctx.header("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                presented = auth.substring(7).trim();
            }
        }
        if (presented == null || presented.isEmpty()) {
            presented = ctx.queryParam("api_key");
        }
        if (presented == null || !MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "unauthorized", "invalid api key");
        }
    }

    private void origin(Context ctx, boolean websocket) {
        HandlerType m = ctx.method();
        boolean safe = m == HandlerType.GET || m == HandlerType.HEAD || m == HandlerType.OPTIONS;
        String origin = ctx.header("Origin");
        if ((safe && !websocket) || origin == null || origin.isBlank()) {
            return;
        }
        if (sameHost(origin, ctx.header("Host")) || cors.allows(origin)) {
            return;
        }
        throw ApiException.forbidden("origin not allowed");
    }

    private InetAddress clientAddress(Context ctx) {
        InetAddress peer = Cidr.literal(ctx.req().getRemoteAddr());
        if (peer == null) {
            throw ApiException.forbidden("invalid client IP");
        }
        if (settings.trustedProxies().isEmpty() || !Cidr.anyContains(settings.trustedProxies(), peer)) {
            return peer;
        }
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            String real = ctx.header("X-Real-IP");
            if (real == null || real.isBlank()) {
                return peer;
            }
            forwarded = real;
        }
        String[] hops = forwarded.split(",");
        InetAddress candidate = peer;
        for (int i = hops.length - 1; i >= 0; i--) { // right-most untrusted hop is the client
            InetAddress hop = Cidr.literal(hops[i]);
            if (hop == null) {
                throw ApiException.forbidden("invalid client IP");
            }
            candidate = hop;
            if (!Cidr.anyContains(settings.trustedProxies(), hop)) {
                break;
            }
        }
        return candidate;
    }

    private boolean isGuest(InetAddress client) {
        return !settings.guestAccessFull() && settings.guestSubnet() != null && settings.guestSubnet().contains(client)
                && !client.equals(hostIp);
    }

    private static boolean isHealth(Context ctx) {
        return (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD)
                && (ctx.path().equals("/healthz") || ctx.path().equals("/healthz/"));
    }

    private static boolean isGuestRoute(Context ctx) {
        return isHealth(ctx) || (ctx.method() == HandlerType.GET && GUEST_MANIFEST.matcher(ctx.path()).matches());
    }

    static boolean sameHost(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI o = URI.create(origin.trim());
            URI h = URI.create("http://" + hostHeader.trim());
            if (o.getHost() == null || h.getHost() == null) {
                return false;
            }
            int defaultPort = "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
            int originPort = o.getPort() < 0 ? defaultPort : o.getPort();
            int hostPort = h.getPort() < 0 ? defaultPort : h.getPort();
            return o.getHost().toLowerCase(Locale.ROOT).equals(h.getHost().toLowerCase(Locale.ROOT))
                    && originPort == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
