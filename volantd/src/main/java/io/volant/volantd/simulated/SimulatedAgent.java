package io.volant.volantd.simulated;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.errors.UpstreamException;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-process agent stub of the {@code simulated} backend (host-runtime.md §9.8): answers {@code GET /healthz}
 * like kestrel from the launcher's health knob, serves its buffer at {@code /v1/logs} and a short finite {@code /v1/logs/stream} (two workload lines,
 * then the stream ends) and 404 for everything else. A VM without a live instance is 502 {@code agent unreachable}.
 */
public final class SimulatedAgent implements AgentGateway {
    private final SimulatedLauncher launcher;
    private final ObjectMapper json = new ObjectMapper();

    public SimulatedAgent(SimulatedLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Response send(String vm, String ip, Request request, Duration timeout) {
        String path = request.path().split("\\?", 2)[0];
        if (request.method().equals("GET") && (path.equals("/healthz") || path.equals("/v1/healthz"))) {
            return launcher.health(vm).map(this::health)
                    .orElseThrow(() -> new UpstreamException("agent unreachable: vm " + vm + " is not running"));
        }
        if (request.method().equals("GET") && path.equals("/v1/logs/stream")) {
            if (!launcher.isLive(vm)) {
                throw new UpstreamException("agent unreachable: vm " + vm + " is not running");
            }
            return logStream(vm);
        }
        if (request.method().equals("GET") && path.equals("/v1/logs")) {
            if (!launcher.isLive(vm)) {
                throw new UpstreamException("agent unreachable: vm " + vm + " is not running");
            }
            return new Response(200, Map.of("Content-Type", List.of("application/json; charset=utf-8")),
                    new ByteArrayInputStream(write(logEvents(vm)).getBytes(StandardCharsets.UTF_8)));
        }
        return response(404, Map.of("error", "not served by the simulated agent"));
    }

    /** kestrel's SSE log events (plugins-and-guest.md §2.8) for a workload that printed two lines. */
    private Response logStream(String vm) {
        StringBuilder sse = new StringBuilder();
        for (Map<String, Object> event : logEvents(vm)) {
            sse.append("data: ").append(write(event)).append("\n\n");
        }
        return new Response(200, Map.of("Content-Type", List.of("text/event-stream")),
                new ByteArrayInputStream(sse.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The agent's buffer (kestrel's {@code GET /v1/logs}): the two lines the stream replays. */
    private List<Map<String, Object>> logEvents(String vm) {
        String started = launcher.startedAt(vm).toString();
        List<Map<String, Object>> events = new java.util.ArrayList<>();
        for (String[] e : List.of(new String[] {"stdout", "simulated workload of " + vm + " started"},
                new String[] {"stderr", "simulated workload of " + vm + " has no real process"})) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("stream", e[0]);
            event.put("line", e[1]);
            event.put("timestamp", started);
            events.add(event);
        }
        return events;
    }

    private Response health(SimulatedLauncher.AgentHealth h) {
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("state", h.workloadState());
        workload.put("pid", null);
        workload.put("restarts", 0);
        workload.put("last_exit", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("uptime", h.uptime().toSeconds() + "s");
        body.put("version", "v2.0");
        body.put("workload", workload);
        return response(h.httpStatus(), body);
    }

    private Response response(int status, Map<String, Object> body) {
        byte[] bytes = write(body).getBytes(StandardCharsets.UTF_8);
        return new Response(status, Map.of("Content-Type", List.of("application/json; charset=utf-8")),
                new ByteArrayInputStream(bytes));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
