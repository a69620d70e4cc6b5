package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Test controls of the simulated backend (host-runtime.md §9.8); registered only with that backend. */
final class SimulatedRoutes {
    private final SimulatedControls controls;
    private final Json json;

    SimulatedRoutes(SimulatedControls controls, Json json) {
        this.controls = controls;
        this.json = json;
    }

    void register(RoutesConfig r) {
        if (!controls.present()) {
            return;
        }
        r.post("/api/v1/simulated/vms/{name}/exit", this::exit);
        r.put("/api/v1/simulated/vms/{name}/health", this::health);
        r.post("/api/v1/simulated/launch-failures", this::launchFailures);
        r.post("/api/v1/simulated/suspend-failures", this::suspendFailures);
    }

    private void exit(Context ctx) {
        var body = json.readTreeOrNull(ctx);
        ObjectNode b = body instanceof ObjectNode o ? o : json.mapper().createObjectNode();
        controls.exit(ctx.pathParam("name"), Params.integer(b, "code", 0), Params.string(b, "signal"));
        ctx.status(204);
    }

    private void health(Context ctx) {
        ObjectNode b = json.readObject(ctx);
        controls.setHealth(ctx.pathParam("name"), Params.requiredBoolean(b, "healthy"), Params.integer(b, "status", 200));
        ctx.status(204);
    }

    private void launchFailures(Context ctx) {
        ObjectNode b = json.readObject(ctx);
        controls.failLaunches(count(b), Params.string(b, "vm"));
        ctx.status(204);
    }

    private void suspendFailures(Context ctx) {
        ObjectNode b = json.readObject(ctx);
        controls.failSuspends(count(b), Params.string(b, "vm"));
        ctx.status(204);
    }

    private static int count(ObjectNode b) {
        Integer count = Params.integer(b, "count", null);
        if (count == null || count < 1) {
            throw ApiException.invalid("count is required");
        }
        return count;
    }
}
