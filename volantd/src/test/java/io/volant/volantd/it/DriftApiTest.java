package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * api-and-cli.md §2.9 and control-plane.md §9 through a real volantd over HTTP, against a tiny fake driftd (JDK
 * {@link HttpServer}) under a base path given with a trailing slash.
 */
class DriftApiTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int forcedStatus;
    private volatile String forcedBody = "";
    private HttpServer driftd;

    @BeforeEach
    void startDriftd() throws IOException {
        driftd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        driftd.createContext("/base/routes", this::handle);
        driftd.start();
    }

    @AfterEach
    void stopDriftd() {
        driftd.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        requests.add(x.getRequestMethod() + " " + path + " auth=" + x.getRequestHeaders().getFirst("Authorization"));
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (forcedStatus != 0) {
            reply(x, forcedStatus, forcedBody);
            return;
        }
        switch (x.getRequestMethod()) {
            case "GET" -> {
                ArrayNode arr = mapper.createArrayNode();
                for (String r : routes.values()) {
                    arr.add(mapper.readTree(r));
                }
                reply(x, 200, arr.toString());
            }
            case "POST" -> {
                var node = mapper.readTree(body);
                routes.put(node.path("protocol").asText() + "/" + node.path("host_port").asInt(), body);
                reply(x, 201, body);
            }
            case "DELETE" -> {
                String key = path.substring("/base/routes/".length());
                reply(x, routes.remove(key) == null ? 404 : 204, routes.containsKey(key) ? "" : "{\"error\":\"route not found\"}");
            }
            default -> reply(x, 405, "");
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, status == 204 || b.length == 0 ? -1 : b.length);
        if (b.length > 0 && status != 204) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    private Api start() {
        return volantd.env("VOLANT_DRIFT_ENDPOINT", "http://127.0.0.1:" + driftd.getAddress().getPort() + "/base/")
                .env("VOLANT_DRIFT_API_KEY", "drift-secret").start();
    }

    @Test
    void the_proxy_routes_forward_to_driftd_with_the_bearer_key_and_the_trimmed_endpoint() {
        Api api = start();
        String route = "{\"host_port\":8080,\"protocol\":\"tcp\",\"backend\":{\"type\":\"bridge\",\"ip\":\"10.0.0.5\",\"port\":80}}";

        var created = api.post("/api/v1/drift/routes", route);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("host_port").asInt()).isEqualTo(8080);
        var listed = api.get("/api/v1/drift/routes");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json()).hasSize(1);
        assertThat(api.delete("/api/v1/drift/routes/TCP/8080").status()).isEqualTo(204);

        assertThat(requests).containsExactly("POST /base/routes auth=Bearer drift-secret",
                "GET /base/routes auth=Bearer drift-secret", "DELETE /base/routes/tcp/8080 auth=Bearer drift-secret");
        assertThat(volantd.logLines()).noneMatch(l -> l.contains("drift-secret"));
    }

    @Test
    void driftd_errors_keep_their_status_and_message_and_bad_input_is_400() {
        Api api = start();
        var missing = api.delete("/api/v1/drift/routes/tcp/9999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("route not found");

        forcedStatus = 500;
        var bare = api.get("/api/v1/drift/routes");
        assertThat(bare.status()).isEqualTo(500);
        assertThat(bare.error()).isEqualTo("driftd returned status 500");

        assertThat(api.delete("/api/v1/drift/routes/tcp/65536").error()).isEqualTo("invalid port");
        assertThat(api.delete("/api/v1/drift/routes/tcp/http").error()).isEqualTo("invalid port");
        assertThat(api.post("/api/v1/drift/routes", "[1]").status()).isEqualTo(400);
    }

    @Test
    void an_unreachable_driftd_is_502() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Api api = volantd.env("VOLANT_DRIFT_ENDPOINT", "http://127.0.0.1:" + closed).start();

        var r = api.get("/api/v1/drift/routes");

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.error()).isNotBlank();
    }

    @Test
    void a_vm_exposing_a_port_gets_its_route_a_second_vm_on_that_port_is_409_and_destroy_removes_it() {
        Api api = start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        String expose = ",\"config\":{\"expose\":[{\"port\":80,\"host_port\":8080,\"protocol\":\"TCP\"}]}}";

        var web = api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"" + expose);
        assertThat(web.status()).as(web.body()).isEqualTo(201);
        assertThat(routes).containsOnlyKeys("tcp/8080");
        assertThat(routes.get("tcp/8080")).contains("\"ip\":\"" + web.json().path("ip_address").asText() + "\"");

        var other = api.post("/api/v1/vms", "{\"name\":\"api\",\"plugin\":\"caddy\"" + expose);
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.error()).isEqualTo("expose host_port tcp/8080 already used by vm web");

        assertThat(api.delete("/api/v1/vms/web").status()).isIn(200, 204);
        assertThat(routes).isEmpty();
    }
}
