package io.volant.volantd.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.volantd.plugin.ArtifactInput;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;
import java.util.Map;

/** Plugin and artifact routes of api-and-cli.md §2.5-§2.6. */
final class PluginRoutes {
    private final PluginRegistry plugins;
    private final Json json;

    PluginRoutes(PluginRegistry plugins, Json json) {
        this.plugins = plugins;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/plugins", ctx -> json.respond(ctx, 200, Map.of("plugins", plugins.list().stream().map(Plugin::name).toList())));
        r.post("/api/v1/plugins", ctx -> manifest(ctx, 201, plugins.install(Manifests.parse(json.readBytes(ctx))).manifest()));
        r.get("/api/v1/plugins/{plugin}", ctx -> manifest(ctx, 200, plugins.get(ctx.pathParam("plugin")).manifest()));
        r.get("/api/v1/plugins/{plugin}/manifest", ctx -> manifest(ctx, 200, plugins.manifest(ctx.pathParam("plugin"))));
        r.delete("/api/v1/plugins/{plugin}", this::remove);
        r.post("/api/v1/plugins/{plugin}/enabled", this::setEnabled);
        r.post("/api/v1/plugins/{plugin}/actions/{action}", this::pluginAction);
        r.get("/api/v1/plugins/{plugin}/artifacts", ctx -> json.respond(ctx, 200, plugins.listArtifacts(ctx.pathParam("plugin"), ctx.queryParam("version"))));
        r.post("/api/v1/plugins/{plugin}/artifacts", this::upsertArtifact);
        r.delete("/api/v1/plugins/{plugin}/artifacts", this::deleteArtifacts);
        r.get("/api/v1/plugins/{plugin}/artifacts/{artifact}", this::getArtifact);
    }

    private void manifest(Context ctx, int status, Manifest manifest) {
        ctx.status(status).contentType(Json.CONTENT_TYPE).result(Manifests.toCompactJson(manifest));
    }

    private void remove(Context ctx) {
        plugins.remove(ctx.pathParam("plugin"));
        ctx.status(204);
    }

    private void setEnabled(Context ctx) {
        boolean enabled = Params.requiredBoolean(json.readObject(ctx), "enabled");
        Plugin p = plugins.setEnabled(ctx.pathParam("plugin"), enabled);
        json.respond(ctx, 200, Map.of("name", p.name(), "enabled", p.enabled()));
    }

    /** Upstream accepted and ignored these; after the same checks we say where actions really run (§2.5). */
    private void pluginAction(Context ctx) {
        Actions.resolve(plugins, ctx.pathParam("plugin"), ctx.pathParam("action"));
        Actions.body(json, ctx);
        throw new ApiException(501, "not_implemented",
                "plugin-level actions are not supported; use /api/v1/vms/{name}/actions/{plugin}/{action}");
    }

    private void upsertArtifact(Context ctx) {
        ObjectNode b = json.readObject(ctx);
        Integer size = Params.integer(b, "size_bytes", 0);
        plugins.upsertArtifact(ctx.pathParam("plugin"), new ArtifactInput(Params.string(b, "version"),
                Params.string(b, "artifact_name"), Params.string(b, "kind"), Params.string(b, "source_url"),
                Params.string(b, "checksum"), Params.string(b, "format"), Params.string(b, "local_path"), size));
        ctx.status(201);
    }

    private void deleteArtifacts(Context ctx) {
        plugins.deleteArtifacts(ctx.pathParam("plugin"), ctx.queryParam("version"));
        ctx.status(204);
    }

    private void getArtifact(Context ctx) {
        json.respond(ctx, 200, plugins.getArtifact(ctx.pathParam("plugin"), ctx.queryParam("version"), ctx.pathParam("artifact")));
    }

}
