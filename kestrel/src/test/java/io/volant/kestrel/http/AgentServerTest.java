package io.volant.kestrel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.Log;
import io.volant.kestrel.logs.LogBuffer;
import io.volant.kestrel.logs.LogEvent;
import io.volant.kestrel.testing.ManualClock;
import io.volant.kestrel.testing.Upstream;
import io.volant.kestrel.workload.WorkloadState;
import io.volant.kestrel.workload.WorkloadStatus;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentServerTest {
    private final ManualClock clock = new ManualClock();
    private final LogBuffer logs = new LogBuffer(100, 100);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicReference<Optional<WorkloadRoutes>> routes = new AtomicReference<>(Optional.empty());
    private Upstream upstream;
    private AgentServer server;

    @BeforeEach
    void start() throws Exception {
        upstream = new Upstream();
        server = startAgent(0);
    }

    private AgentServer startAgent(int devtoolsPort) throws Exception {
        return AgentServer.start("127.0.0.1", 0, new AgentServer.Wiring(
                        () -> new WorkloadStatus(WorkloadState.RUNNING, 4242L, 2, 1), routes::get,
                        Duration.ZERO, logs, "127.0.0.1", devtoolsPort),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), clock,
                new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "kestrel: "));
    }

    @AfterEach
    void stop() {
        server.close();
        upstream.close();
    }

    private void manifest(String basePath, ActionRoute... actions) {
        routes.set(Optional.of(new WorkloadRoutes(upstream.base(basePath), List.of(actions))));
    }

    private URI agent(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthz_reports_uptime_version_and_the_workload() throws Exception {
        clock.advance(Duration.ofMillis(90_500));
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/healthz")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        assertThat(r.body().strip()).isEqualTo("{\"status\":\"ok\",\"uptime\":\"1m31s\",\"version\":\"v2.0\","
                + "\"workload\":{\"state\":\"running\",\"pid\":4242,\"restarts\":2,\"last_exit\":1}}");
    }

    @Test
    void unknown_paths_are_404_and_v1_is_404_without_a_manifest() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/nope")));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("404 page not found\n");
        assertThat(send(HttpRequest.newBuilder(agent("/v1/status"))).statusCode()).isEqualTo(404);
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void passthrough_forwards_method_path_query_headers_and_body() throws Exception {
        manifest("/app");
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/v1/items/a%2Fb?q=1&r=%20x"))
                .header("X-Custom", "one").header("Proxy-Authorization", "secret")
                .PUT(HttpRequest.BodyPublishers.ofString("payload")));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("echo PUT /app/items/a%2Fb");
        assertThat(r.headers().firstValue("x-upstream")).contains("yes");
        Upstream.Seen s = upstream.seen.poll(10, TimeUnit.SECONDS);
        assertThat(s.method()).isEqualTo("PUT");
        assertThat(s.rawPath()).isEqualTo("/app/items/a%2Fb");
        assertThat(s.rawQuery()).isEqualTo("q=1&r=%20x");
        assertThat(s.body()).isEqualTo("payload");
        assertThat(s.headers()).containsKey("X-custom").doesNotContainKey("Proxy-authorization");
        assertThat(s.headers().get("X-custom")).containsExactly("one");
    }

    @Test
    void passthrough_copies_the_upstream_status_and_serves_head() throws Exception {
        manifest("");
        assertThat(send(HttpRequest.newBuilder(agent("/v1/created")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(201);
        HttpResponse<String> head = send(HttpRequest.newBuilder(agent("/v1/x"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(send(HttpRequest.newBuilder(agent("/v1"))).body()).isEqualTo("echo GET /");
    }

    @Test
    void other_methods_on_v1_paths_are_405() throws Exception {
        manifest("");
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/v1/x"))
                .method("TRACE", HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void action_is_proxied_with_the_joined_path_and_its_own_timeout() throws Exception {
        manifest("/app/", new ActionRoute("reload", "POST", "/reload", Duration.ofSeconds(30)),
                new ActionRoute("stuck", "POST", "/hang", Duration.ofMillis(200)));

        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/v1/reload?force=1"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.body()).isEqualTo("echo POST /app/reload");
        Upstream.Seen s = upstream.seen.poll(10, TimeUnit.SECONDS);
        assertThat(s.rawQuery()).isEqualTo("force=1");
        assertThat(s.body()).isEqualTo("{}");

        HttpResponse<String> timedOut = send(HttpRequest.newBuilder(agent("/v1/hang"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(timedOut.statusCode()).isEqualTo(502);
        assertThat(timedOut.body()).startsWith("{\"error\":");
    }

    @Test
    void streamed_responses_arrive_chunk_by_chunk_before_the_upstream_finishes() throws Exception {
        manifest("");
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(agent("/v1/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("data: first"); // the upstream is still blocked here
            upstream.releaseStream();
            assertThat(in.readLine()).isEmpty();
            assertThat(in.readLine()).isEqualTo("data: second");
        }
    }

    @Test
    void unreachable_workload_gives_502_json() throws Exception {
        routes.set(Optional.of(new WorkloadRoutes(URI.create("http://127.0.0.1:1"), List.of())));
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/v1/x")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        assertThat(r.body()).startsWith("{\"error\":");
    }

    @Test
    void logs_are_served_as_a_json_array() throws Exception {
        logs.publish(new LogEvent("stdout", "hello \"world\"", Instant.parse("2026-01-02T03:04:05Z")));
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/v1/logs")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().strip()).isEqualTo(
                "[{\"stream\":\"stdout\",\"line\":\"hello \\\"world\\\"\",\"timestamp\":\"2026-01-02T03:04:05Z\"}]");
    }

    @Test
    void log_stream_replays_the_buffer_then_sends_live_events() throws Exception {
        manifest(""); // agent-owned even when the workload could serve /logs/stream itself
        logs.publish(new LogEvent("stdout", "before", Instant.EPOCH));
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(agent("/v1/logs/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo(
                    "data: {\"stream\":\"stdout\",\"line\":\"before\",\"timestamp\":\"1970-01-01T00:00:00Z\"}");
            assertThat(in.readLine()).isEmpty();
            logs.publish(new LogEvent("stderr", "after", Instant.EPOCH));
            assertThat(in.readLine()).isEqualTo(
                    "data: {\"stream\":\"stderr\",\"line\":\"after\",\"timestamp\":\"1970-01-01T00:00:00Z\"}");
        }
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void log_stream_sends_a_keepalive_comment_after_fifteen_quiet_seconds() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(agent("/v1/logs/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            clock.advance(Duration.ofSeconds(16));
            assertThat(in.readLine()).isEqualTo(": keepalive");
            assertThat(in.readLine()).isEmpty();
        }
    }

    @Test
    void devtools_is_404_when_not_configured() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(agent("/v1/devtools")));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body().strip()).isEqualTo("{\"error\":\"devtools not available\"}");
    }

    @Test
    void devtools_describes_the_chrome_endpoint_when_configured() throws Exception {
        upstream.route("/json/version", ex -> {
            byte[] b = ("{\"Browser\":\"Chrome/130\",\"User-Agent\":\"UA\",\"webSocketDebuggerUrl\":"
                    + "\"ws://127.0.0.1:9222/devtools/browser/abc\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        });
        try (AgentServer withDevtools = startAgent(upstream.base("/").getPort())) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + withDevtools.port() + "/v1/devtools")));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"websocket_url\":\"ws://127.0.0.1:9222/devtools/browser/abc\"",
                    "\"websocket_path\":\"/devtools/browser/abc\"", "\"browser_version\":\"Chrome/130\"",
                    "\"user_agent\":\"UA\"", "\"address\":\"127.0.0.1\"",
                    "\"port\":" + upstream.base("/").getPort());
        }
    }
}
