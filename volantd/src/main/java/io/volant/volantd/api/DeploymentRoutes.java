package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.deployment.Strategy;
import io.volant.volantd.vm.VmConfigCodec;

/** Deployment routes of api-and-cli.md §2.4. */
final class DeploymentRoutes {
    private final DeploymentService deployments;
    private final Json json;
    private final Views views;

    DeploymentRoutes(DeploymentService deployments, Json json, Views views) {
        this.deployments = deployments;
        this.json = json;
        this.views = views;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/deployments", ctx -> json.respond(ctx, 200, deployments.list().stream().map(views::deployment).toList()));
        r.post("/api/v1/deployments", this::create);
        r.get("/api/v1/deployments/{name}", ctx -> json.respond(ctx, 200, views.deployment(deployments.get(ctx.pathParam("name")))));
        r.patch("/api/v1/deployments/{name}", this::scale);
        r.delete("/api/v1/deployments/{name}", this::delete);
    }

    private void create(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        String name = Params.requiredString(body, "name");
        int replicas = Params.integer(body, "replicas", 0);
        JsonNode config = body.get("config");
        if (config == null || config.isNull()) {
            throw ApiException.invalid("config is required");
        }
        json.respond(ctx, 201, views.deployment(deployments.create(name, replicas, VmConfigCodec.fromJson(config))));
    }

    /** Scale, and with EXTENSION A a rolling config update: {@code replicas}, {@code config}, {@code strategy}. */
    private void scale(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        Integer replicas = Params.integer(body, "replicas", null);
        JsonNode config = body.get("config");
        JsonNode strategy = body.get("strategy");
        json.respond(ctx, 200, views.deployment(deployments.update(ctx.pathParam("name"), replicas,
                config == null || config.isNull() ? null : VmConfigCodec.fromJson(config),
                strategy == null || strategy.isNull() ? null : json.convert(strategy, Strategy.class))));
    }

    private void delete(Context ctx) {
        deployments.delete(ctx.pathParam("name"));
        ctx.status(204);
    }
}
