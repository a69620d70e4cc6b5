package io.volant.volar.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An in-process stand-in for volantd's REST API (api-and-cli.md §1-§2 wire shapes, Chosen statuses), on
 * loopback port 0, for testing volar until a real volantd can run in-process. State lives in memory; VMs come up
 * {@code running} at once with addresses from 192.168.127.2 upwards; deployments reconcile synchronously
 * (control-plane.md §3.3: lowest free index first, highest removed first).
 */
public final class FakeVolantd implements AutoCloseable {
    private static final Pattern VM_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final String apiKey;
    private final Map<String, ObjectNode> plugins = new TreeMap<>();
    private final Map<String, ObjectNode> vms = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> configs = new LinkedHashMap<>();
    private final Map<String, ObjectNode> deployments = new TreeMap<>();
    private final List<BlockingQueue<String>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> openapi = new LinkedHashMap<>();
    private boolean holdReadiness;
    private int nextIp = 2;
    private int nextId = 1;
    private int configHistoryId = 1;

    /** A request as received (for asserting what volar sent). */
    public record Request(String method, String path, String query, String body, String apiKeyHeader) { }

    /** @param apiKey "" = no key required */
    public FakeVolantd(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-volantd");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** While held, new VMs stay {@code starting}, so deployments report fewer ready replicas than desired. */
    public synchronized void holdReadiness(boolean hold) {
        this.holdReadiness = hold;
    }

    /** Every {@code starting} VM becomes {@code running}. */
    public synchronized void releaseReadiness() {
        holdReadiness = false;
        vms.values().stream().filter(v -> v.get("status").asText().equals("starting"))
                .forEach(v -> setStatus(v, "running", "VM_RUNNING", "vm running"));
    }

    /** Number of GET requests for one path so far. */
    public long gets(String path) {
        return requests.stream().filter(r -> r.method().equals("GET") && r.path().equals(path)).count();
    }

    /** Serves this document at {@code /api/v1/vms/<vm>/openapi}. */
    public synchronized void openapi(String vm, String document) {
        openapi.put(vm, document);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            String key = ex.getRequestHeaders().getFirst("X-Volant-API-Key");
            requests.add(new Request(ex.getRequestMethod(), path, query == null ? "" : query, body, key));
            if (!apiKey.isEmpty() && !apiKey.equals(key) && !path.equals("/healthz")) {
                send(ex, 401, error("invalid api key"));
                return;
            }
            if (path.equals("/api/v1/events/vms")) {
                stream(ex);
                return;
            }
            Reply r;
            synchronized (this) {
                r = route(ex.getRequestMethod(), path, query == null ? "" : query, body);
            }
            if (r.raw != null) {
                ex.getResponseHeaders().set("Content-Type", r.contentType);
                byte[] b = r.raw.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(r.status, b.length == 0 ? -1 : b.length);
                ex.getResponseBody().write(b);
            } else {
                send(ex, r.status, r.body);
            }
        } catch (RuntimeException e) {
            send(ex, 500, error("internal error: " + e));
        }
    }

    private record Reply(int status, JsonNode body, String raw, String contentType) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, body, null, null);
        }
    }

    private Reply route(String method, String path, String query, String body) {
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty())
                .map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8)).toList();
        String m = method;
        Map<String, String> q = parseQuery(query);
        if (s.equals(List.of("healthz"))) {
            return ok(json.createObjectNode().put("status", "ok"));
        }
        if (s.size() < 3 || !s.get(0).equals("api") || !s.get(1).equals("v1")) {
            return Reply.json(404, error("not found"));
        }
        String res = s.get(2);
        int n = s.size();
        try {
            return switch (res) {
                case "plugins" -> plugins(m, s, body);
                case "vms" -> n == 3 ? (m.equals("GET") ? listVms(q) : createVm(body)) : vm(m, s, q, body);
                case "deployments" -> deployments(m, s, body);
                default -> Reply.json(404, error("not found"));
            };
        } catch (Fail f) {
            return Reply.json(f.status, error(f.getMessage()));
        }
    }

    // ---- plugins ----

    private Reply plugins(String m, List<String> s, String body) {
        if (s.size() == 3 && m.equals("GET")) {
            ArrayNode names = json.createArrayNode();
            plugins.keySet().forEach(names::add);
            ObjectNode o = json.createObjectNode();
            o.set("plugins", names);
            return ok(o);
        }
        if (s.size() == 3 && m.equals("POST")) {
            ObjectNode manifest = parseObject(body);
            String name = manifest.path("name").asText("").trim();
            if (name.isEmpty()) {
                throw new Fail(400, "plugin manifest: name required");
            }
            for (String media : List.of("rootfs", "initramfs")) {
                String url = manifest.path(media).path("url").asText("");
                if (!url.isEmpty() && !url.matches("^(https?://|file://|/).*")) {
                    throw new Fail(400, "plugin manifest: " + media + " url must be http(s), file://, or absolute path");
                }
            }
            manifest.put("enabled", true);
            if (manifest.path("runtime").asText("").isEmpty()) {
                manifest.put("runtime", name);
            }
            plugins.put(name, manifest);
            return Reply.json(201, manifest);
        }
        String name = s.get(3);
        ObjectNode p = plugins.get(name);
        if (p == null) {
            throw new Fail(404, "plugin not found");
        }
        if (s.size() == 4) {
            return switch (m) {
                case "GET" -> ok(p);
                case "DELETE" -> {
                    plugins.remove(name);
                    yield Reply.json(204, null);
                }
                default -> Reply.json(405, error("method not allowed"));
            };
        }
        return switch (s.get(4)) {
            case "manifest" -> {
                if (!p.path("enabled").asBoolean()) {
                    throw new Fail(409, "plugin disabled");
                }
                yield ok(p);
            }
            case "enabled" -> {
                JsonNode b = parseObject(body);
                if (!b.has("enabled")) {
                    throw new Fail(400, "enabled is required");
                }
                p.put("enabled", b.get("enabled").asBoolean());
                yield ok(json.createObjectNode().put("name", name).put("enabled", p.get("enabled").asBoolean()));
            }
            case "artifacts" -> ok(json.createArrayNode());
            default -> Reply.json(404, error("not found"));
        };
    }

    // ---- VMs ----

    private Reply listVms(Map<String, String> q) {
        Set<String> statuses = q.containsKey("status")
                ? Arrays.stream(q.get("status").split(",")).map(String::trim).map(String::toLowerCase)
                        .collect(Collectors.toSet())
                : null;
        ArrayNode out = json.createArrayNode();
        for (ObjectNode vm : vms.values()) {
            if (statuses == null || statuses.contains(vm.get("status").asText())) {
                out.add(vm);
            }
        }
        return ok(out);
    }

    private Reply createVm(String body) {
        ObjectNode req = parseObject(body);
        String name = req.path("name").asText("");
        if (name.isEmpty()) {
            throw new Fail(400, "name is required");
        }
        String plugin = req.path("plugin").asText("").trim();
        String cfgPlugin = req.path("config").path("plugin").asText("").trim();
        if (!plugin.isEmpty() && !cfgPlugin.isEmpty() && !plugin.equalsIgnoreCase(cfgPlugin)) {
            throw new Fail(400, "plugin mismatch between request and config");
        }
        plugin = cfgPlugin.isEmpty() ? plugin : cfgPlugin;
        if (plugin.isEmpty()) {
            throw new Fail(400, "plugin is required");
        }
        ObjectNode manifest = plugins.get(plugin);
        if (manifest == null) {
            throw new Fail(404, "plugin " + plugin + " not found");
        }
        if (!manifest.path("enabled").asBoolean()) {
            throw new Fail(409, "plugin " + plugin + " disabled");
        }
        JsonNode cfg = req.path("config");
        int cpu = firstPositive(cfg.path("resources").path("cpu_cores").asInt(0), req.path("cpu_cores").asInt(0),
                manifest.path("resources").path("cpu_cores").asInt(0), 2);
        int mem = firstPositive(cfg.path("resources").path("memory_mb").asInt(0), req.path("memory_mb").asInt(0),
                manifest.path("resources").path("memory_mb").asInt(0), 2048);
        ObjectNode config = cfg.isObject() ? ((ObjectNode) cfg).deepCopy() : json.createObjectNode();
        config.put("plugin", plugin);
        config.put("runtime", firstText(cfg.path("runtime").asText(""), req.path("runtime").asText(""),
                manifest.path("runtime").asText("")));
        config.putObject("resources").put("cpu_cores", cpu).put("memory_mb", mem);
        if (!config.has("manifest")) {
            config.set("manifest", manifest.deepCopy());
        }
        String extra = firstText(cfg.path("kernel_cmdline").asText(""), req.path("kernel_cmdline").asText(""));
        config.put("kernel_cmdline", extra);
        ObjectNode vm = newVm(name, config, null);
        return Reply.json(201, vm);
    }

    private ObjectNode newVm(String name, ObjectNode config, String deployment) {
        if (!VM_NAME.matcher(name).matches()) {
            throw new Fail(400, "orchestrator: invalid vm name \"" + name + "\" (must be a lowercase DNS label)");
        }
        if (vms.containsKey(name)) {
            throw new Fail(409, "orchestrator: vm already exists: " + name);
        }
        int id = nextId++;
        String ip = "192.168.127." + nextIp++;
        String now = now();
        ObjectNode vm = json.createObjectNode().put("id", id).put("name", name).put("status", "running")
                .put("runtime", config.path("runtime").asText()).put("pid", 4000 + id).put("ip_address", ip)
                .put("mac_address", String.format("02:00:00:00:00:%02x", id))
                .put("cpu_cores", config.path("resources").path("cpu_cores").asInt())
                .put("memory_mb", config.path("resources").path("memory_mb").asInt())
                .put("kernel_cmdline", ("ip=" + ip + "::192.168.127.1:255.255.255.0:" + name + ":eth0:off "
                        + config.path("kernel_cmdline").asText("")).trim())
                .put("serial_socket", "/run/volant/" + name + ".serial").put("vsock_cid", 2 + id)
                .put("created_at", now).put("updated_at", now);
        if (deployment != null) {
            vm.put("deployment", deployment);
        }
        vms.put(name, vm);
        List<ObjectNode> history = new ArrayList<>();
        history.add(versioned(1, config));
        configs.put(name, history);
        publish("VM_CREATED", vm, "starting", "vm record created");
        if (holdReadiness) {
            vm.put("status", "starting");
        } else {
            publish("VM_RUNNING", vm, "running", "vm running");
        }
        return vm;
    }

    private ObjectNode versioned(int version, ObjectNode config) {
        ObjectNode v = json.createObjectNode().put("id", configHistoryId++).put("version", version)
                .put("updated_at", now());
        v.set("config", config);
        return v;
    }

    private Reply vm(String m, List<String> s, Map<String, String> q, String body) {
        String name = s.get(3);
        ObjectNode vm = vms.get(name);
        if (s.size() == 4 && m.equals("GET")) {
            if (vm == null) {
                throw new Fail(404, "vm not found");
            }
            return ok(vm);
        }
        if (vm == null) {
            throw new Fail(404, "orchestrator: vm not found: " + name);
        }
        if (s.size() == 4 && m.equals("DELETE")) {
            destroy(name);
            return Reply.json(204, null);
        }
        String sub = s.get(4);
        List<ObjectNode> history = configs.get(name);
        return switch (sub) {
            case "start" -> {
                if (vm.get("status").asText().equals("running")) {
                    throw new Fail(409, "orchestrator: vm " + name + " already running");
                }
                setStatus(vm, "running", "VM_RUNNING", "vm started");
                yield ok(vm);
            }
            case "stop" -> {
                setStatus(vm, "stopped", "VM_STOPPED", "vm stopped");
                yield ok(vm);
            }
            case "restart" -> {
                ObjectNode cfg = (ObjectNode) history.getLast().get("config");
                vm.put("cpu_cores", cfg.path("resources").path("cpu_cores").asInt());
                vm.put("memory_mb", cfg.path("resources").path("memory_mb").asInt());
                setStatus(vm, "stopped", "VM_STOPPED", "vm stopped");
                setStatus(vm, "running", "VM_RUNNING", "vm started");
                vm.put("pid", vm.get("pid").asInt() + 1000);
                yield ok(vm);
            }
            case "config" -> config(m, s, q, body, history);
            case "openapi" -> {
                String doc = openapi.get(name);
                if (doc == null) {
                    throw new Fail(404, "openapi spec unavailable");
                }
                yield new Reply(200, null, doc, doc.stripLeading().startsWith("{") ? "application/json"
                        : "application/yaml");
            }
            case "agent" -> agent(m, s, vm);
            case "actions" -> {
                ObjectNode p = plugins.get(s.get(5));
                if (p == null) {
                    throw new Fail(404, "plugin " + s.get(5) + " not found");
                }
                if (!p.path("actions").has(s.get(6))) {
                    throw new Fail(404, "action " + s.get(6) + " not found");
                }
                yield ok(json.createObjectNode().put("action", s.get(6)).put("status", "done"));
            }
            default -> Reply.json(404, error("not found"));
        };
    }

    private Reply config(String m, List<String> s, Map<String, String> q, String body, List<ObjectNode> history) {
        if (s.size() == 6 && s.get(5).equals("history")) {
            int limit = 0;
            if (q.containsKey("limit")) {
                try {
                    limit = Integer.parseInt(q.get("limit"));
                } catch (NumberFormatException e) {
                    throw new Fail(400, "invalid limit");
                }
            }
            ArrayNode out = json.createArrayNode();
            for (int i = history.size() - 1; i >= 0 && (limit == 0 || out.size() < limit); i--) {
                out.add(history.get(i));
            }
            return ok(out);
        }
        if (m.equals("GET")) {
            return ok(history.getLast());
        }
        ObjectNode patch = parseObject(body);
        ObjectNode cfg = ((ObjectNode) history.getLast().get("config")).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("plugin")) {
                continue;
            }
            if (e.getKey().equals("resources") && e.getValue().isObject()) {
                ObjectNode r = (ObjectNode) cfg.path("resources");
                e.getValue().fields().forEachRemaining(f -> r.set(f.getKey(), f.getValue()));
                if (r.path("cpu_cores").asInt() <= 0) {
                    throw new Fail(400, "vmconfig: cpu_cores must be greater than zero");
                }
            } else {
                cfg.set(e.getKey(), e.getValue());
            }
        }
        ObjectNode v = versioned(history.getLast().get("version").asInt() + 1, cfg);
        history.add(v);
        return ok(v);
    }

    private Reply agent(String m, List<String> s, ObjectNode vm) {
        if (!vm.get("status").asText().equals("running")) {
            throw new Fail(409, "vm not running");
        }
        String rest = "/" + String.join("/", s.subList(5, s.size()));
        if (rest.equals("/v1/status")) {
            return ok(json.createObjectNode().put("status", "ok").put("method", m));
        }
        return Reply.json(404, error("no route " + rest));
    }

    private void destroy(String name) {
        ObjectNode vm = vms.remove(name);
        configs.remove(name);
        publish("VM_DELETED", vm, "stopped", "vm deleted");
    }

    private void setStatus(ObjectNode vm, String status, String type, String message) {
        vm.put("status", status).put("updated_at", now());
        publish(type, vm, status, message);
    }

    // ---- deployments ----

    private Reply deployments(String m, List<String> s, String body) {
        if (s.size() == 3) {
            if (m.equals("GET")) {
                ArrayNode out = json.createArrayNode();
                deployments.keySet().forEach(d -> out.add(view(d)));
                return ok(out);
            }
            ObjectNode req = parseObject(body);
            String name = req.path("name").asText("").trim();
            if (name.isEmpty()) {
                throw new Fail(400, "name is required");
            }
            if (!req.path("config").isObject()) {
                throw new Fail(400, "config is required");
            }
            int replicas = req.path("replicas").asInt(0);
            if (replicas < 0) {
                throw new Fail(400, "orchestrator: replicas must be >= 0");
            }
            if (deployments.containsKey(name)) {
                throw new Fail(409, "orchestrator: deployment already exists: " + name);
            }
            ObjectNode cfg = (ObjectNode) req.get("config");
            String plugin = cfg.path("plugin").asText("");
            ObjectNode manifest = plugins.get(plugin);
            if (manifest == null) {
                throw new Fail(400, "plugin " + plugin + " not installed");
            }
            if (cfg.path("resources").path("cpu_cores").asInt(0) <= 0) {
                throw new Fail(400, "vmconfig: cpu_cores must be greater than zero");
            }
            if (cfg.path("runtime").asText("").isEmpty()) {
                cfg.put("runtime", plugin);
            }
            cfg.set("manifest", manifest.deepCopy());
            String now = now();
            ObjectNode d = json.createObjectNode().put("name", name).put("desired_replicas", replicas)
                    .put("created_at", now).put("updated_at", now);
            d.set("config", cfg);
            deployments.put(name, d);
            reconcile(name);
            return Reply.json(201, view(name));
        }
        String name = s.get(3);
        ObjectNode d = deployments.get(name);
        if (d == null) {
            throw new Fail(404, "orchestrator: deployment not found: " + name);
        }
        return switch (m) {
            case "GET" -> ok(view(name));
            case "PATCH" -> {
                ObjectNode req = parseObject(body);
                if (!req.has("replicas") && !req.has("config") && !req.has("strategy")) {
                    throw new Fail(400, "replicas is required");
                }
                if (req.path("replicas").asInt(0) < 0) {
                    throw new Fail(400, "orchestrator: replicas must be >= 0");
                }
                if (req.has("replicas")) {
                    d.put("desired_replicas", req.get("replicas").asInt());
                }
                if (req.path("config").isObject()) {
                    // EXTENSION A in its simplest form: members are recreated with the new template.
                    ObjectNode cfg = ((ObjectNode) req.get("config")).deepCopy();
                    cfg.set("manifest", d.path("config").path("manifest").deepCopy());
                    d.set("config", cfg);
                    members(name).forEach(this::destroy);
                }
                d.put("updated_at", now());
                reconcile(name);
                yield ok(view(name));
            }
            case "DELETE" -> {
                members(name).forEach(this::destroy);
                deployments.remove(name);
                yield Reply.json(204, null);
            }
            default -> Reply.json(405, error("method not allowed"));
        };
    }

    private List<String> members(String deployment) {
        return vms.values().stream().filter(v -> deployment.equals(v.path("deployment").asText(null)))
                .map(v -> v.get("name").asText()).toList();
    }

    private void reconcile(String name) {
        ObjectNode d = deployments.get(name);
        int desired = d.get("desired_replicas").asInt();
        List<String> members = new ArrayList<>(members(name));
        members.sort((a, b) -> Integer.compare(index(b, name), index(a, name)));
        while (members.size() > desired) {
            destroy(members.removeFirst());
        }
        Set<Integer> taken = members.stream().map(v -> index(v, name)).collect(Collectors.toSet());
        for (int i = 1; taken.size() < desired; i++) {
            if (taken.add(i)) {
                newVm(name + "-" + i, ((ObjectNode) d.get("config")).deepCopy(), name);
            }
        }
    }

    private static int index(String vm, String deployment) {
        String rest = vm.substring(deployment.length() + 1);
        return rest.matches("[1-9][0-9]*") ? Integer.parseInt(rest) : 0;
    }

    private ObjectNode view(String name) {
        ObjectNode d = deployments.get(name).deepCopy();
        long ready = members(name).stream().filter(v -> vms.get(v).get("status").asText().equals("running")).count();
        d.put("ready_replicas", ready);
        return d;
    }

    // ---- events ----

    private void publish(String type, ObjectNode vm, String status, String message) {
        ObjectNode e = json.createObjectNode().put("type", type).put("name", vm.get("name").asText())
                .put("status", status).put("message", message).put("timestamp", now());
        if (!vm.path("ip_address").asText("").isEmpty()) {
            e.put("ip_address", vm.get("ip_address").asText());
        }
        String frame = "event: " + type + "\ndata: " + e + "\n\n";
        subscribers.forEach(q -> q.offer(frame));
    }

    /** Number of open SSE subscribers (tests wait for volar to be listening before they act). */
    public int subscribers() {
        return subscribers.size();
    }

    private void stream(HttpExchange ex) throws IOException {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        subscribers.add(q);
        try {
            while (true) {
                String frame = q.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    out.write(frame.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        } catch (InterruptedException | IOException e) {
            // client gone or server stopping
        } finally {
            subscribers.remove(q);
        }
    }

    // ---- helpers ----

    private static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Fail(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private ObjectNode parseObject(String body) {
        if (body.isBlank()) {
            throw new Fail(400, "request body required");
        }
        try {
            JsonNode n = json.readTree(body);
            if (!(n instanceof ObjectNode o)) {
                throw new Fail(400, "invalid JSON body: not an object");
            }
            return o;
        } catch (IOException e) {
            throw new Fail(400, "invalid JSON body: " + e.getMessage());
        }
    }

    private Reply ok(JsonNode body) {
        return Reply.json(200, body);
    }

    private ObjectNode error(String message) {
        return json.createObjectNode().put("error", message);
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> q = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return q;
        }
        for (String kv : query.split("&")) {
            String[] p = kv.split("=", 2);
            q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                    p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        }
        return q;
    }

    private static int firstPositive(int... values) {
        for (int v : values) {
            if (v > 0) {
                return v;
            }
        }
        return 0;
    }

    private static String firstText(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }

    private static String now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

}
