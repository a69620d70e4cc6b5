package io.volant.volantd.api;

import io.volant.volantd.agent.LogStreams;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * WebSocket routes (api-and-cli.md §2.10, Chosen): every check happens before the upgrade and answers with the
 * usual JSON error; sessions are pinged every 30 s and closed with 1001 at shutdown. The console bridges to the
 * {@link ConsoleAccess}; logs relay the agent's {@code /v1/logs/stream}; DevTools relays frames to the guest browser's
 * DevTools WebSocket ({@link DevtoolsRelay}).
 */
final class WebSocketRoutes {
    private static final String CONSOLE = "volant.console";
    private static final String LOGS = "volant.logs";
    private static final String DEVTOOLS = "volant.devtools";

    private final ApiServices services;
    private final Json json;
    private final AtomicBoolean closing;
    private final Set<WsContext> open = ConcurrentHashMap.newKeySet();
    private final LogStreams logStreams;

    private final Timeouts timeouts;

    WebSocketRoutes(ApiServices services, Json json, AtomicBoolean closing, Timeouts timeouts) {
        this.timeouts = timeouts;
        this.services = services;
        this.json = json;
        this.closing = closing;
        this.logStreams = new LogStreams(services.agent(), services.events());
    }

    void register(RoutesConfig r) {
        r.wsBeforeUpgrade("/ws/v1/vms/{name}/console", this::beforeConsole);
        r.ws("/ws/v1/vms/{name}/console", this::console);
        r.wsBeforeUpgrade("/ws/v1/vms/{name}/logs", this::beforeLogs);
        r.ws("/ws/v1/vms/{name}/logs", this::logs);
        r.wsBeforeUpgrade("/ws/v1/vms/{name}/devtools/<path>", this::beforeDevtools);
        r.ws("/ws/v1/vms/{name}/devtools/<path>", this::devtools);
        r.wsBeforeUpgrade("/ws/v1/vms/{name}/devtools", this::beforeDevtools);
        r.ws("/ws/v1/vms/{name}/devtools", this::devtools);
    }

    /** Closes every session with 1001 (going away); called when shutdown starts. */
    void closeAll() {
        logStreams.closeAll();
        for (WsContext ctx : open) {
            try {
                ctx.closeSession(1001, "volantd shutdown");
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }

    private Vm runningVm(Context ctx) {
        Vm vm = services.vms().find(ctx.pathParam("name")).orElseThrow(() -> ApiException.notFound("vm not found"));
        if (vm.status() != VmStatus.RUNNING) {
            throw ApiException.conflict("vm not ready");
        }
        return vm;
    }

    private void beforeConsole(Context ctx) {
        Vm vm = runningVm(ctx);
        DeferredSink sink = new DeferredSink();
        ConsoleAccess.Session session = services.console().attach(vm.name(), sink);
        ctx.attribute(CONSOLE, new ConsoleBinding(session, sink));
    }

    private void console(WsConfig ws) {
        ws.onConnect(ctx -> {
            track(ctx);
            ConsoleBinding b = ctx.attribute(CONSOLE);
            b.sink().bind(ctx);
        });
        ws.onMessage(ctx -> binding(ctx).session().input(ByteBuffer.wrap(ctx.message().getBytes(StandardCharsets.UTF_8))));
        ws.onBinaryMessage(ctx -> binding(ctx).session().input(ctx.data()));
        ws.onClose(ctx -> {
            open.remove(ctx);
            binding(ctx).session().close();
        });
    }

    private static ConsoleBinding binding(WsContext ctx) {
        return ctx.attribute(CONSOLE);
    }

    private void beforeLogs(Context ctx) {
        Vm vm = runningVm(ctx);
        ctx.attribute(LOGS, logStreams.reserve(vm.name(), vm.ipAddress()));
    }

    private void logs(WsConfig ws) {
        ws.onConnect(ctx -> {
            track(ctx);
            LogStreams.Stream stream = ctx.attribute(LOGS);
            stream.join(new WsSink(ctx));
        });
        ws.onClose(ctx -> {
            open.remove(ctx);
            LogStreams.Stream stream = ctx.attribute(LOGS);
            stream.leave(new WsSink(ctx));
        });
    }

    /**
     * §2.10.3: metadata from the agent's {@code /v1/devtools} (502 {@code devtools metadata unavailable}), then the
     * dial (502 {@code failed to connect devtools} with {@code target}); the relay starts at the upgrade.
     */
    private void beforeDevtools(Context ctx) {
        Vm vm = runningVm(ctx);
        JsonNode meta;
        try (AgentGateway.Response r = services.agent().send(vm.name(), vm.ipAddress(),
                new AgentGateway.Request("GET", "/v1/devtools", Map.of(), new byte[0]), timeouts.agentHeaders())) {
            if (r.status() != 200) {
                throw ApiException.upstream("devtools metadata unavailable");
            }
            meta = json.mapper().readTree(r.body());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException a && a.status() != 502) {
                throw a;
            }
            throw ApiException.upstream("devtools metadata unavailable");
        }
        if (meta == null || !meta.isObject()) {
            throw ApiException.upstream("devtools metadata unavailable");
        }
        String path = ctx.pathParamMap().getOrDefault("path", "");
        java.net.URI target = DevtoolsTarget.resolve(vm.ipAddress(), meta, path.isEmpty() ? "" : "/" + path,
                ctx.queryString());
        DevtoolsRelay relay = new DevtoolsRelay(vm.name());
        java.util.concurrent.CompletableFuture<java.net.http.WebSocket> dial = null;
        try {
            dial = services.agent().openWebSocket(vm.name(), vm.ipAddress(), target, relay, timeouts.devtoolsHandshake());
            relay.upstream(dial.get(timeouts.devtoolsHandshake().toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortLate(dial);
            throw failedToConnect(target);
        } catch (Exception e) {
            abortLate(dial);
            org.slf4j.LoggerFactory.getLogger(WebSocketRoutes.class).atWarn().addKeyValue("vm", vm.name())
                    .addKeyValue("target", target).log("devtools dial failed: {}", e.getMessage());
            throw failedToConnect(target);
        }
        ctx.attribute(DEVTOOLS, relay);
    }

    /** A dial that completes after we gave up must not leave a browser session open. */
    private static void abortLate(java.util.concurrent.CompletableFuture<java.net.http.WebSocket> dial) {
        if (dial != null) {
            dial.thenAccept(java.net.http.WebSocket::abort);
        }
    }

    private static ApiException failedToConnect(java.net.URI target) {
        return new ApiException(502, "upstream", "failed to connect devtools", Map.of("target", target.toString()));
    }

    private void devtools(WsConfig ws) {
        ws.onConnect(ctx -> {
            track(ctx);
            DevtoolsRelay relay = ctx.attribute(DEVTOOLS);
            relay.bind(ctx);
        });
        ws.onMessage(ctx -> ((DevtoolsRelay) ctx.attribute(DEVTOOLS)).fromClient(ctx.message()));
        ws.onBinaryMessage(ctx -> ((DevtoolsRelay) ctx.attribute(DEVTOOLS)).fromClient(ctx.data()));
        ws.onClose(ctx -> {
            open.remove(ctx);
            ((DevtoolsRelay) ctx.attribute(DEVTOOLS)).clientClosed();
        });
    }

    private void track(WsContext ctx) {
        open.add(ctx);
        ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
        if (closing.get()) {
            ctx.closeSession(1001, "volantd shutdown");
        }
    }

    private static void close(AgentGateway.Response r) {
        if (r == null) {
            return;
        }
        try {
            r.close();
        } catch (IOException e) {
            // nothing to do: the stream is being abandoned
        }
    }

    /** Equal for the same session: Javalin's contexts of one connection compare equal by session. */
    private record WsSink(WsContext ctx) implements LogStreams.Sink {
        @Override
        public void send(String text) {
            ctx.send(text);
        }

        @Override
        public void close(int code, String reason) {
            ctx.closeSession(code, reason);
        }
    }

    record ConsoleBinding(ConsoleAccess.Session session, DeferredSink sink) {}

    /** Console output that arrives between attach and the WebSocket's connect is queued, then flushed. */
    static final class DeferredSink implements ConsoleAccess.Sink {
        private final java.util.ArrayDeque<ByteBuffer> pending = new java.util.ArrayDeque<>();
        private WsContext ctx;
        private boolean ended;

        synchronized void bind(WsContext ws) {
            this.ctx = ws;
            while (!pending.isEmpty()) {
                ws.send(pending.poll());
            }
            if (ended) {
                ws.closeSession(1000, "console ended");
            }
        }

        @Override
        public synchronized void output(ByteBuffer bytes) {
            ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
            if (ctx == null) {
                pending.add(copy);
            } else {
                ctx.send(copy);
            }
        }

        @Override
        public synchronized void ended() {
            ended = true;
            if (ctx != null) {
                ctx.closeSession(1000, "console ended");
            }
        }
    }
}
