package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.volantd.deployment.Deployments;
import io.volant.volantd.deployment.RolloutService;
import io.volant.volantd.deployment.Strategy;
import io.volant.volantd.vm.VmConfigCodec;

/** Deployment routes of api-and-cli.md §2.4 and the rollout routes (history, undo, pause, resume). */
final class DeploymentRoutes {
    private static final String ONE = "/api/v1/deployments/{name}";

    private final Deployments deployments;
    private final Json json;
    private final Views views;

    DeploymentRoutes(Deployments deployments, Json json, Views views) {
        this.deployments = deployments;
        this.json = json;
        this.views = views;
    }

    /** Looked up per request: servers built without a deployment service (route tests) must still start. */
    private RolloutService rollouts() {
        return deployments.rollouts();
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/deployments", ctx -> json.respond(ctx, 200, deployments.list().stream().map(views::deployment).toList()));
        r.post("/api/v1/deployments", this::create);
        r.get(ONE, ctx -> json.respond(ctx, 200, views.deployment(deployments.get(ctx.pathParam("name")))));
        r.patch(ONE, this::scale);
        r.delete(ONE, this::delete);
        r.get(ONE + "/rollout", ctx -> json.respond(ctx, 200, views.deployment(deployments.get(ctx.pathParam("name")))));
        r.get(ONE + "/rollout/history", ctx -> json.respond(ctx, 200,
                rollouts().history(ctx.pathParam("name")).stream().map(views::revision).toList()));
        r.post(ONE + "/rollout/undo", this::undo);
        r.post(ONE + "/rollout/pause", ctx -> json.respond(ctx, 200, views.deployment(rollouts().pause(ctx.pathParam("name")))));
        r.post(ONE + "/rollout/resume", ctx -> json.respond(ctx, 200, views.deployment(rollouts().resume(ctx.pathParam("name")))));
    }

    private void create(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        String name = Params.requiredString(body, "name");
        int replicas = Params.integer(body, "replicas", 0);
        JsonNode config = body.get("config");
        if (config == null || config.isNull()) {
            throw ApiException.invalid("config is required");
        }
        json.respond(ctx, 201, views.deployment(deployments.create(name, replicas, VmConfigCodec.fromJson(config),
                strategy(body))));
    }

    /** Scale and rolling config update: {@code replicas}, {@code config}, {@code strategy}, at least one. */
    private void scale(Context ctx) {
        ObjectNode body = json.readObject(ctx);
        Integer replicas = Params.integer(body, "replicas", null);
        JsonNode config = body.get("config");
        json.respond(ctx, 200, views.deployment(deployments.update(ctx.pathParam("name"), replicas,
                config == null || config.isNull() ? null : VmConfigCodec.fromJson(config), strategy(body))));
    }

    private static Strategy strategy(ObjectNode body) {
        JsonNode s = body.get("strategy");
        return s == null || s.isNull() ? null : Strategy.parse(s);
    }

    /** Body optional: {@code {"to_revision": N}}. */
    private void undo(Context ctx) {
        JsonNode body = json.readTreeOrNull(ctx);
        if (body != null && !body.isObject()) {
            throw ApiException.invalid("invalid JSON body: expected a JSON object");
        }
        Integer to = body == null ? null : Params.integer((ObjectNode) body, "to_revision", null);
        json.respond(ctx, 200, views.deployment(rollouts().undo(ctx.pathParam("name"), to)));
    }

    private void delete(Context ctx) {
        deployments.delete(ctx.pathParam("name"));
        ctx.status(204);
    }
}
