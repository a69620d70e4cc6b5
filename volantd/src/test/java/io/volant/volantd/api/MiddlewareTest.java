package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import io.volant.volantd.logging.JsonLogLayout;
import io.volant.volantd.network.Cidr;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The middleware chain and the router's own answers, on a real server (port 0) and a real client. These routes
 * never reach the domain, so the server runs without one (the domain is covered by the it package).
 */
class MiddlewareTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private String start(ApiSettings settings) {
        ApiServices services = new ApiServices(null, null, null, null, null,
                new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), AgentGateway.none(), io.volant.volantd.drift.DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server = new ApiServer(settings, services).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> send(String method, String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void healthz_answers_ok_as_utf8_json() throws Exception {
        var r = send("GET", start(ApiSettings.defaults()) + "/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(r.headers().firstValue("Content-Type").orElse("").replace(" ", "")).isEqualTo("application/json;charset=utf-8");
    }

    @Test
    void unknown_path_is_a_json_404_and_wrong_method_a_json_405_with_allow() throws Exception {
        String base = start(ApiSettings.defaults());
        var missing = send("GET", base + "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").asText()).isEqualTo("not found");
        var wrong = send("POST", base + "/healthz");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(json(wrong).path("error").asText()).isEqualTo("method not allowed");
        assertThat(wrong.headers().firstValue("Allow").orElse("")).contains("GET");
    }

    @Test
    void openapi_names_the_request_host_and_honours_forwarded_https() throws Exception {
        String base = start(ApiSettings.defaults());
        JsonNode doc = json(send("GET", base + "/openapi"));
        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("Volant REST API");
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo(base);
        JsonNode https = json(send("GET", base + "/openapi", "X-Forwarded-Proto", "HTTPS"));
        assertThat(https.path("servers").get(0).path("url").asText()).isEqualTo(base.replace("http://", "https://"));
    }

    @Test
    void api_key_is_required_everywhere_but_healthz_and_accepted_in_three_forms() throws Exception {
        String base = start(ApiSettings.defaults().withApiKey("k"));
        assertThat(send("GET", base + "/healthz").statusCode()).isEqualTo(200);
        var denied = send("GET", base + "/openapi");
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.body()).contains("\"error\":\"invalid api key\"");
        assertThat(send("GET", base + "/openapi", "X-Volant-API-Key", "wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", base + "/openapi", "X-Volant-API-Key", "k").statusCode()).isEqualTo(200);
        assertThat(send("GET", base + "/openapi", "Authorization", "Bearer k").statusCode()).isEqualTo(200);
        assertThat(send("GET", base + "/openapi?api_key=k").statusCode()).isEqualTo(200);
        assertThat(send("GET", base + "/nope").statusCode()).isEqualTo(401);
    }

    @Test
    void cidr_allow_list_refuses_loopback_even_with_a_forged_forwarded_header() throws Exception {
        String base = start(ApiSettings.defaults().withAllowCidrs(List.of(Cidr.parse("10.0.0.0/8"))));
        var r = send("GET", base + "/healthz");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"error\":\"access denied\"");
        assertThat(send("GET", base + "/healthz", "X-Forwarded-For", "10.1.1.1").statusCode()).isEqualTo(403);
    }

    @Test
    void without_key_or_cidr_only_loopback_and_the_guest_rule_are_served() throws Exception {
        // A trusted local proxy lets the test present LAN and guest client addresses.
        String base = start(ApiSettings.defaults().withTrustedProxies(List.of(Cidr.parse("127.0.0.1"))));
        assertThat(send("GET", base + "/openapi").statusCode()).isEqualTo(200);
        assertThat(send("GET", base + "/openapi", "X-Forwarded-For", "10.9.9.9").statusCode()).isEqualTo(403);
        assertThat(send("GET", base + "/openapi", "X-Forwarded-For", "192.168.127.10").statusCode()).isEqualTo(403);
        assertThat(send("GET", base + "/api/v1/vms", "X-Forwarded-For", "192.168.127.10").statusCode()).isEqualTo(403);
        assertThat(send("GET", base + "/healthz", "X-Forwarded-For", "192.168.127.10").statusCode()).isEqualTo(200);
        assertThat(send("GET", base + "/openapi", "X-Forwarded-For", "192.168.127.1").statusCode()).isEqualTo(403);
        assertThat(send("GET", base + "/openapi", "X-Forwarded-For", "bogus").statusCode()).isEqualTo(403);
    }

    @Test
    void cors_echoes_allowed_origins_and_answers_their_preflights_before_the_key_check() throws Exception {
        String base = start(ApiSettings.defaults().withApiKey("k").withCorsOrigins(List.of("http://localhost:3000")));
        var ok = send("GET", base + "/healthz", "Origin", "http://localhost:3000");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(ok.headers().firstValue("Vary")).hasValue("Origin");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, PATCH, DELETE, OPTIONS");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("Content-Type, Authorization, X-Requested-With, X-Volant-API-Key");
        assertThat(ok.headers().firstValue("Access-Control-Expose-Headers")).hasValue("Content-Type, X-Total-Count");
        var evil = send("GET", base + "/healthz", "Origin", "http://evil.example");
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        var preflight = send("OPTIONS", base + "/api/v1/vms", "Origin", "http://localhost:3000",
                "Access-Control-Request-Method", "POST");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    }

    @Test
    void only_a_preflight_from_an_allowed_origin_escapes_the_key_check() throws Exception {
        String base = start(ApiSettings.defaults().withApiKey("k").withCorsOrigins(List.of("http://localhost:3000")));
        var evil = send("OPTIONS", base + "/api/v1/vms", "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST");
        assertThat(evil.statusCode()).isEqualTo(401);
        assertThat(json(evil).path("error").asText()).isEqualTo("invalid api key");
        var noOrigin = send("OPTIONS", base + "/api/v1/anything/at/all");
        assertThat(noOrigin.statusCode()).isEqualTo(401);
        var notPreflight = send("OPTIONS", base + "/api/v1/vms", "Origin", "http://localhost:3000");
        assertThat(notPreflight.statusCode()).isEqualTo(401);
        var withKey = send("OPTIONS", base + "/healthz", "X-Volant-API-Key", "k");
        assertThat(withKey.statusCode()).isEqualTo(405);
    }

    @Test
    void cors_wildcard_never_sends_credentials_and_disabled_cors_sends_nothing() throws Exception {
        String base = start(ApiSettings.defaults().withCorsOrigins(List.of("*")));
        var r = send("GET", base + "/healthz", "Origin", "http://any.example");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        server.stop();
        String plain = start(ApiSettings.defaults());
        var none = send("GET", plain + "/healthz", "Origin", "http://localhost:3000");
        assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(send("OPTIONS", plain + "/healthz").statusCode()).isEqualTo(405);
    }

    @Test
    void cross_site_writes_are_refused_by_the_origin_check() throws Exception {
        String base = start(ApiSettings.defaults());
        var evil = send("POST", base + "/api/v1/vms", "Origin", "http://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("\"error\":\"origin not allowed\"");
        // Same host and port passes the check (then the router answers 405 for POST /healthz).
        assertThat(send("POST", base + "/healthz", "Origin", base).statusCode()).isEqualTo(405);
        assertThat(send("GET", base + "/healthz", "Origin", "http://evil.example").statusCode()).isEqualTo(200);
    }

    @Test
    void each_request_logs_one_line_without_query_string_or_key() throws Exception {
        var lines = new ConcurrentLinkedQueue<String>();
        var layout = new JsonLogLayout();
        var appender = new AppenderBase<ILoggingEvent>() {
            @Override
            protected void append(ILoggingEvent e) {
                lines.add(layout.doLayout(e));
            }
        };
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        try {
            String base = start(ApiSettings.defaults().withApiKey("sekret"));
            send("GET", base + "/openapi?api_key=sekret&x=1");
            send("GET", base + "/openapi", "X-Volant-API-Key", "bad");
        } finally {
            root.detachAppender(appender);
        }
        List<JsonNode> requests = lines.stream().map(MiddlewareTest::parse).filter(n -> n.path("msg").asText().equals("http request")).toList();
        assertThat(requests).hasSize(2);
        JsonNode first = requests.get(0);
        assertThat(first.path("method").asText()).isEqualTo("GET");
        assertThat(first.path("path").asText()).isEqualTo("/openapi");
        assertThat(first.path("status").asInt()).isEqualTo(200);
        assertThat(first.path("latency").asText()).endsWith("ms");
        assertThat(first.path("client_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(requests.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(String.join("", lines)).doesNotContain("sekret").doesNotContain("x=1");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(line, e);
        }
    }
}
