package io.volant.volantd.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The in-memory driftd shared by all tests: routes keyed by {@code <protocol>/<host_port>}, a log of calls, and
 * failure knobs (a status for upserts of one key, an unreachable daemon). Thread-safe.
 */
public final class InMemoryDriftClient implements DriftClient {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, JsonNode> routes = new LinkedHashMap<>();
    private final Map<String, Integer> failingUpserts = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private boolean unreachable;

    @Override
    public synchronized JsonNode listRoutes() {
        calls.add("GET");
        reachable();
        ArrayNode out = mapper.createArrayNode();
        routes.values().forEach(out::add);
        return out;
    }

    @Override
    public synchronized JsonNode upsertRoute(JsonNode route) {
        String key = route.path("protocol").asText().toLowerCase(Locale.ROOT) + "/" + route.path("host_port").asInt();
        calls.add("POST " + key);
        reachable();
        Integer status = failingUpserts.get(key);
        if (status != null) {
            throw new DriftException(status, "injected failure for " + key, null);
        }
        routes.put(key, route.deepCopy());
        return route;
    }

    @Override
    public synchronized void deleteRoute(String protocol, int hostPort) {
        String key = protocol.toLowerCase(Locale.ROOT) + "/" + hostPort;
        calls.add("DELETE " + key);
        reachable();
        if (routes.remove(key) == null) {
            throw new DriftException(404, "route not found", null);
        }
    }

    private void reachable() {
        if (unreachable) {
            throw new DriftException(502, "connection refused", null);
        }
    }

    /** Upserts of {@code <protocol>/<port>} fail with {@code status} from now on. */
    public synchronized InMemoryDriftClient failUpserts(String key, int status) {
        failingUpserts.put(key, status);
        return this;
    }

    public synchronized InMemoryDriftClient unreachable(boolean v) {
        unreachable = v;
        return this;
    }

    /** Current routes by key, in insertion order. */
    public synchronized Map<String, JsonNode> routes() {
        return Map.copyOf(routes);
    }

    /** Calls so far: {@code GET}, {@code POST tcp/8080}, {@code DELETE tcp/8080}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }
}
