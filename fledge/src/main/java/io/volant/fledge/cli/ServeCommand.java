package io.volant.fledge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.volant.fledge.build.BuildService;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fledge serve}: a small HTTP daemon with {@code /v1/healthz} and {@code /v1/build} (§4.1). */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = ServeCommand.DESCRIPTION)
public final class ServeCommand implements Callable<Integer> {
    /** Also what {@code fledge --help} lists (it reads no annotation, docs/fledge.md "Start-up"). */
    public static final String DESCRIPTION = "Run the fledge HTTP build server";
    @Option(names = "--addr", description = "listen address (FLEDGE_ADDR, default 127.0.0.1:7070)")
    String addr;

    @Option(names = "--api-key", description = "API key (FLEDGE_API_KEY)")
    String apiKey;

    @Option(names = "--cors-origins", description = "comma-separated origins (FLEDGE_CORS_ORIGINS)")
    String corsOrigins;

    /** The logger the root command's global flags ask for (read at run time, after parsing). */
    private final Supplier<Log> log;
    private final Env env;
    private volatile HttpServer server;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    public ServeCommand(Supplier<Log> log, Env env) {
        this.log = log;
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Log log = this.log.get();
        String a = first(addr, env.vars().get("FLEDGE_ADDR"), "127.0.0.1:7070");
        String key = first(apiKey, env.vars().get("FLEDGE_API_KEY"), "");
        List<String> origins = Arrays.stream(first(corsOrigins, env.vars().get("FLEDGE_CORS_ORIGINS"), "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        int colon = a.lastIndexOf(':');
        String host = colon > 0 ? a.substring(0, colon) : "0.0.0.0";
        int port = Integer.parseInt(a.substring(colon + 1));
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new FledgeException("failed to listen on " + a + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> handle(ex, key, origins, log));
        server.start();
        log.info("fledge server listening", "addr", host + ":" + server.getAddress().getPort());
        started.countDown();
        stopped.await();
        return 0;
    }

    /** The bound port once started (tests listen on port 0), else 0. */
    public int port() {
        HttpServer s = server;
        return started.getCount() == 0 && s != null ? s.getAddress().getPort() : 0;
    }

    /** Stops the server; {@link #call()} then returns. */
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        stopped.countDown();
    }

    private void handle(HttpExchange ex, String key, List<String> origins, Log log) throws IOException {
        try (ex) {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null) {
                if (!originAllowed(origin, origins)) {
                    send(ex, 403, "forbidden origin");
                    return;
                }
                var h = ex.getResponseHeaders();
                h.set("Access-Control-Allow-Origin", origin);
                h.set("Vary", "Origin");
                h.set("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key");
                h.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
            }
            if (ex.getRequestMethod().equals("OPTIONS")) {
                ex.sendResponseHeaders(204, -1);
                return;
            }
            if (!key.isEmpty() && !authorized(ex, key)) {
                send(ex, 401, "unauthorized");
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/v1/healthz" -> send(ex, 200, "ok");
                case "/v1/build" -> {
                    if (!ex.getRequestMethod().equals("POST")) {
                        send(ex, 405, "method not allowed");
                        return;
                    }
                    build(ex, log);
                }
                default -> send(ex, 404, "not found");
            }
        }
    }

    private void build(HttpExchange ex, Log log) throws IOException {
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(ex.getRequestBody().readNBytes(1 << 20));
        } catch (IOException e) {
            send(ex, 400, "invalid JSON: " + e.getMessage());
            return;
        }
        String cfg = body == null ? "" : body.path("config_path").asText("");
        if (cfg.isEmpty()) {
            send(ex, 400, "config_path is required");
            return;
        }
        String out = body.path("output_path").asText("");
        BuildCommand planner = new BuildCommand(this.log, env);
        BuildCommand.Plan plan;
        Path cfgPath = env.cwd().resolve(cfg).normalize();
        try {
            if (!cfgPath.toFile().isFile()) {
                throw new FledgeException("config file not found: " + cfgPath);
            }
            plan = planner.configPlan(log, cfgPath, null, false, out.isEmpty() ? null : env.cwd().resolve(out));
        } catch (FledgeException e) {
            send(ex, 400, e.getMessage());
            return;
        }
        try {
            BuildService.Result r = BuildCommand.execute(env.withoutShutdownHook(), log, plan, null, null, false);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            send(ex, 200, new ObjectMapper().createObjectNode().put("output", r.artifact().toString()).toString());
        } catch (RuntimeException e) {
            log.error("build failed", "config", cfgPath, "error", e.getMessage());
            send(ex, 500, "build failed: " + e.getMessage());
        }
    }

    static boolean originAllowed(String origin, List<String> allowed) {
        if (allowed.isEmpty()) {
            return origin.startsWith("http://localhost") || origin.startsWith("http://127.0.0.1");
        }
        return allowed.contains("*") || allowed.contains(origin);
    }

    private static boolean authorized(HttpExchange ex, String key) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String xkey = ex.getRequestHeaders().getFirst("X-API-Key");
        return ("Bearer " + key).equals(auth) || key.equals(xkey);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static String first(String a, String b, String def) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        return b != null && !b.isEmpty() ? b : def;
    }
}
