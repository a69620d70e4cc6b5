package io.volant.volantd.api;

import io.volant.volantd.host.HostStats;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * volantd's HTTP server (api-and-cli.md §1-§3): Javalin with every route, the middleware chain (recovery →
 * logger → CORS → source policy → API key → origin check → route) on HTTP requests and WebSocket handshakes
 * alike, and one error mapper. {@link #start} binds; {@link #stop} ends streams and shuts down gracefully.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** api-and-cli.md §3.7: graceful shutdown budget. */

    private final Javalin app;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final WebSocketRoutes webSockets;

    private final Timeouts timeouts;
    private final HeaderReadTimeout headerTimeout;
    private final ServerTls tls;
    private volatile String bindHost;
    private volatile int bindPort;

    public ApiServer(ApiSettings settings, ApiServices services) {
        this(settings, services, Timeouts.defaults());
    }

    public ApiServer(ApiSettings settings, ApiServices services, Timeouts timeouts) {
        this.timeouts = timeouts;
        Json json = new Json();
        ApiMetrics metrics = new ApiMetrics(services.metrics(), services);
        Cors cors = new Cors(settings);
        AccessPolicy access = new AccessPolicy(settings, cors);
        RequestLog requestLog = new RequestLog(metrics);
        Views views = new Views();
        this.webSockets = new WebSocketRoutes(services, json, closing, timeouts);
        this.headerTimeout = new HeaderReadTimeout(timeouts.requestHeaders());
        this.tls = settings.tls().enabled() ? new ServerTls(settings.tls()) : null;
        this.app = Javalin.create(config -> {
            configure(config, json, timeouts);
            if (tls != null) {
                config.jetty.addConnector((server, http) -> tls.connector(server, http, bindHost, bindPort));
            }
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(timeouts.requestBody().toMillis()));
            new ErrorMapper(json).register(config.routes);
            config.requestLogger.http(requestLog::log);
            config.routes.before(ctx -> {
                if (!cors.apply(ctx)) {
                    access.check(ctx, false);
                } else {
                    ctx.skipRemainingHandlers();
                }
            });
            config.routes.after(UnreadBody::settle);
            config.routes.wsBeforeUpgrade(ctx -> middlewareForHandshake(ctx, cors, access));
            new SystemRoutes(services, json, HostStats.linux(), new OpenApiDocument(), metrics).register(config.routes);
            new VmRoutes(services.vms(), services.nodes(), json, views).register(config.routes);
            new WorkloadOpenApiRoute(services, json).register(config.routes);
            new AgentRoutes(services.vms(), services.plugins(), services.agent(), json, settings, timeouts)
                    .register(config.routes);
            new DeploymentRoutes(services.nodes().deployments(services.deployments()), json, views).register(config.routes);
            new PluginRoutes(services.plugins(), json).register(config.routes);
            new EventRoutes(services.events(), json, metrics, closing).register(config.routes);
            new VfioRoutes(services.vfio(), json).register(config.routes);
            new DriftProxyRoutes(services.drift(), json).register(config.routes);
            new PublishRoutes(services.publishing(), json).register(config.routes);
            new McpRoutes(services.vms(), json).register(config.routes);
            new SimulatedRoutes(services.simulated(), json).register(config.routes);
            new NodeRoutes(services.nodes(), json).register(config.routes);
            webSockets.register(config.routes);
        });
    }

    private static void configure(JavalinConfig config, Json json, Timeouts timeouts) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        config.http.generateEtags = false;
        config.router.ignoreTrailingSlashes = true;
        config.concurrency.useVirtualThreads = true;
        config.jsonMapper(new JavalinJackson(json.mapper(), true));
        config.router.javaLangErrorHandler((res, error) -> {
            LOG.atError().setCause(error).log("unhandled error");
            res.setStatus(500);
            res.setContentType(Json.CONTENT_TYPE);
            try {
                res.getWriter().write("{\"error\":\"internal error\",\"code\":\"internal\"}");
            } catch (java.io.IOException e) {
                // the client is gone; nothing left to report
            }
        });
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(timeouts.shutdownGrace().toMillis());
            server.setErrorHandler(new JsonErrorHandler(json));
        });
    }

    /** WebSocket handshakes skip Javalin's HTTP before-handlers, so the same chain runs here. */
    private static void middlewareForHandshake(Context ctx, Cors cors, AccessPolicy access) {
        cors.apply(ctx);
        access.check(ctx, true);
    }

    /** Binds {@code host:port} (port 0 = any free port). Throws when the address is in use. */
    public ApiServer start(String host, int port) {
        bindHost = host;
        bindPort = port;
        app.start(host, port);
        for (var c : app.jettyServer().server().getConnectors()) {
            if (c instanceof org.eclipse.jetty.server.AbstractConnector ac) {
                ac.setIdleTimeout(timeouts.idle().toMillis());
            }
            c.addEventListener(headerTimeout);
        }
        return this;
    }

    /** True when the API is served over HTTPS. */
    public boolean tls() {
        return tls != null;
    }

    /** Reads the TLS certificate, key and client CA again (SIGHUP); a no-op without TLS. */
    public void reloadTls() {
        if (tls != null) {
            tls.reload();
        }
    }

    public int port() {
        return app.port();
    }

    /** Graceful: SSE streams end, WebSockets close with 1001, in-flight requests get up to 15 s. */
    public void stop() {
        if (closing.compareAndSet(false, true)) {
            webSockets.closeAll();
            headerTimeout.close();
            if (tls != null) {
                tls.close();
            }
            try {
                app.stop();
            } catch (JavalinException e) {
                // Jetty has still closed the connectors and stopped; only the grace period ran out. Shutdown must go
                // on (the engine and the store close after us), so this is a warning, not a failure.
                LOG.atWarn().addKeyValue("grace_ms", timeouts.shutdownGrace().toMillis()).setCause(e.getCause())
                        .log("api server stopped before in-flight requests finished");
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
