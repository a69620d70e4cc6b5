package io.volant.volantd.api;

import io.javalin.config.RoutesConfig;
import io.volant.volantd.cluster.NodeDirectory;
import java.util.Map;

/**
 * {@code GET /api/v1/nodes} (docs/cluster.md): {@code {"nodes":[…]}}, one {@code local} node on a single host.
 * {@code POST|DELETE /api/v1/nodes/{name}/drain}: drain a node (the scheduler moves its replicas away) or make it
 * schedulable again; answers the node.
 */
final class NodeRoutes {
    private final NodeDirectory nodes;
    private final Json json;

    NodeRoutes(NodeDirectory nodes, Json json) {
        this.nodes = nodes;
        this.json = json;
    }

    void register(RoutesConfig r) {
        r.get("/api/v1/nodes", ctx -> json.respond(ctx, 200, Map.of("nodes", nodes.nodes())));
        r.post("/api/v1/nodes/{name}/drain", ctx -> json.respond(ctx, 200, nodes.drain(ctx.pathParam("name"), true)));
        r.delete("/api/v1/nodes/{name}/drain", ctx -> json.respond(ctx, 200, nodes.drain(ctx.pathParam("name"), false)));
    }
}
