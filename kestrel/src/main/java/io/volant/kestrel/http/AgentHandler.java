package io.volant.kestrel.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.volant.kestrel.Log;
import io.volant.kestrel.config.GoDurations;
import io.volant.kestrel.time.Clock;
import io.volant.kestrel.workload.UrlJoin;
import io.volant.kestrel.workload.WorkloadStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The agent's router (plugins-and-guest.md §2.8): {@code /healthz}, the agent-owned {@code /v1/logs},
 * {@code /v1/logs/stream} and {@code /v1/devtools}, manifest actions, and the {@code /v1} passthrough.
 */
public final class AgentHandler implements HttpHandler {
    static final Set<String> PASSTHROUGH_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private final Clock clock;
    private final long startNanos;
    private final Supplier<WorkloadStatus> status;
    private final Supplier<Optional<WorkloadRoutes>> routes;
    private final Duration defaultTimeout;
    private final Proxy proxy;
    private final LogsHandler logs;
    private final DevtoolsHandler devtools;
    private final Log log;

    AgentHandler(Clock clock, Supplier<WorkloadStatus> status, Supplier<Optional<WorkloadRoutes>> routes,
                 Duration defaultTimeout, Proxy proxy, LogsHandler logs, DevtoolsHandler devtools, Log log) {
        this.clock = clock;
        this.startNanos = clock.nanos();
        this.status = status;
        this.routes = routes;
        this.defaultTimeout = defaultTimeout;
        this.proxy = proxy;
        this.logs = logs;
        this.devtools = devtools;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            route(ex);
        } catch (IOException e) {
            // The client went away mid-response; nothing left to tell it.
        } catch (RuntimeException e) {
            log.info("request failed", "method", ex.getRequestMethod(), "path", ex.getRequestURI().getRawPath(),
                    "error", e);
            if (ex.getResponseCode() == -1) {
                HttpIo.error(ex, 500, "internal error");
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/healthz")) {
            if (method.equals("GET")) {
                healthz(ex);
            } else {
                methodNotAllowed(ex, "GET");
            }
            return;
        }
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            HttpIo.text(ex, 404, "404 page not found\n");
            return;
        }
        if (method.equals("GET")) {
            switch (path) {
                case "/v1/logs" -> { logs.list(ex); return; }
                case "/v1/logs/stream" -> { logs.stream(ex); return; }
                case "/v1/devtools" -> { devtools.handle(ex); return; }
                default -> { }
            }
        }
        Optional<WorkloadRoutes> r = routes.get();
        if (r.isEmpty()) {
            HttpIo.text(ex, 404, "404 page not found\n");
            return;
        }
        String subPath = path.substring(3);
        String query = ex.getRequestURI().getRawQuery();
        Optional<ActionRoute> action = r.get().match(method, path);
        if (action.isPresent()) {
            Duration t = action.get().timeout().isPositive() ? action.get().timeout() : defaultTimeout;
            proxy.forward(ex, UrlJoin.target(r.get().baseUrl(), subPath, query), t);
        } else if (PASSTHROUGH_METHODS.contains(method)) {
            proxy.forward(ex, UrlJoin.target(r.get().baseUrl(), subPath, query), defaultTimeout);
        } else {
            methodNotAllowed(ex, String.join(", ", PASSTHROUGH_METHODS.stream().sorted().toList()));
        }
    }

    private void healthz(HttpExchange ex) throws IOException {
        WorkloadStatus s = status.get();
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("state", s.state().wire());
        workload.put("pid", s.pid());
        workload.put("restarts", s.restarts());
        workload.put("last_exit", s.lastExit());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("uptime", GoDurations.formatWholeSeconds(Duration.ofNanos(clock.nanos() - startNanos)));
        body.put("version", "v2.0");
        body.put("workload", workload);
        HttpIo.json(ex, 200, body);
    }

    private static void methodNotAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        HttpIo.text(ex, 405, "");
    }
}
