package io.volant.volantd.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.publish.PublishService;
import java.util.Map;

/**
 * Published ports (docs/api.md "Published ports"): {@code GET /api/v1/published}, and per VM or deployment
 * {@code GET|POST .../expose}, {@code DELETE .../expose/{host_port}?protocol=udp}.
 */
final class PublishRoutes {
    private final PublishService publishing;
    private final Json json;

    PublishRoutes(PublishService publishing, Json json) {
        this.publishing = publishing;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/published", ctx -> json.respond(ctx, 200, publishing.list()));
        for (var owner : Map.of("vms", PublishService.VM, "deployments", PublishService.DEPLOYMENT).entrySet()) {
            String base = "/api/v1/" + owner.getKey() + "/{name}/expose";
            String kind = owner.getValue();
            r.get(base, ctx -> json.respond(ctx, 200, publishing.of(kind, ctx.pathParam("name"))));
            r.post(base, ctx -> expose(ctx, kind));
            r.delete(base + "/{host_port}", ctx -> unexpose(ctx, kind));
        }
    }

    /** Body {@code {"host_port":8080,"port":80,"protocol":"tcp"}}; protocol optional (tcp). */
    private void expose(Context ctx, String kind) {
        ObjectNode body = json.readObject(ctx);
        Integer hostPort = Params.integer(body, "host_port", null);
        Integer port = Params.integer(body, "port", null);
        if (hostPort == null) {
            throw ApiException.invalid("host_port is required");
        }
        if (port == null) {
            throw ApiException.invalid("port is required");
        }
        var request = new PublishService.Request(Params.string(body, "protocol"), hostPort, port);
        json.respond(ctx, 200, publishing.expose(kind, ctx.pathParam("name"), request));
    }

    private void unexpose(Context ctx, String kind) {
        int hostPort;
        try {
            hostPort = Integer.parseInt(ctx.pathParam("host_port"));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("host_port must be a number, got \"" + ctx.pathParam("host_port") + "\"");
        }
        String protocol = ctx.queryParam("protocol");
        json.respond(ctx, 200, publishing.unexpose(kind, ctx.pathParam("name"), protocol, hostPort));
    }
}
