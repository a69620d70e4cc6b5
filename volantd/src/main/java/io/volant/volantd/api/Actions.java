package io.volant.volantd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.http.Context;
import io.volant.manifest.Action;
import io.volant.manifest.Manifest;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;

/** Shared checks of the two action routes (api-and-cli.md §2.3.7, §2.5). */
final class Actions {
    private Actions() {}

    record Resolved(Manifest manifest, Action action) {}

    /** 404 {@code plugin <p> not found} / {@code action <a> not found}. */
    static Resolved resolve(PluginRegistry plugins, String plugin, String action) {
        Plugin p = plugins.find(plugin).orElseThrow(() -> ApiException.notFound("plugin " + plugin + " not found"));
        Action a = p.manifest().actions().get(action);
        if (a == null) {
            throw ApiException.notFound("action " + action + " not found");
        }
        return new Resolved(p.manifest(), a);
    }

    /** The action body: a JSON object or {@code null}; an empty body counts as {@code {}} (Chosen). */
    static JsonNode body(Json json, Context ctx) {
        JsonNode node = json.readTreeOrNull(ctx);
        if (node == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject() && !node.isNull()) {
            throw ApiException.invalid("invalid JSON body: expected a JSON object or null");
        }
        return node;
    }
}
