package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.manifest.Manifests;
import io.volant.volantd.Volantd;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.vm.CreateVmRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent proxy (api-and-cli.md §2.3.6, AC-M6) over a real engine and an agent that records what it receives. */
class AgentProxyTest {
    private final AtomicReference<AgentGateway.Request> received = new AtomicReference<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Path dir;
    private Volantd volantd;
    private ApiServer server;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("volantd-proxy-");
        volantd = Volantd.builder(VolantdConfig.forDirectory(dir)).build();
        volantd.start();
        volantd.plugins().install(Manifests.parse(
                AgentProxyTest.class.getResourceAsStream("/it/example-caddy.manifest.json").readAllBytes()));
        volantd.vms().create(CreateVmRequest.of("web", "caddy"));
        AgentGateway recording = (vm, ip, request, timeout) -> {
            received.set(request);
            return new AgentGateway.Response(207, Map.of("X-Agent", List.of("yes"), "Connection", List.of("close")),
                    new ByteArrayInputStream("from agent".getBytes(StandardCharsets.UTF_8)));
        };
        ApiServices services = new ApiServices(volantd.vms(), volantd.deployments(), volantd.plugins(),
                volantd.events(), null, new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), recording, io.volant.volantd.drift.DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server = new ApiServer(ApiSettings.defaults().withApiKey("s3cret")
                .withCorsOrigins(List.of("http://localhost:3000")), services).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
        volantd.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void the_agent_never_sees_the_api_key_and_the_answer_passes_through() throws Exception {
        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/vms/web/agent/v1/items?api_key=s3cret&x=1"))
                .header("Authorization", "Bearer s3cret").header("X-Custom", "kept")
                .header("Origin", "http://localhost:3000")
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(207);
        assertThat(response.body()).isEqualTo("from agent");
        assertThat(response.headers().firstValue("X-Agent")).hasValue("yes");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");

        AgentGateway.Request r = received.get();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/items?x=1");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("payload");
        assertThat(r.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization")
                || h.equalsIgnoreCase("X-Volant-API-Key") || h.equalsIgnoreCase("Host"));
        assertThat(r.headers().get("X-Custom")).containsExactly("kept");
        assertThat(r.headers().get("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(r.headers().get("X-Forwarded-Proto")).containsExactly("http");
    }

    @Test
    void an_encoded_api_key_parameter_authenticates_but_never_reaches_the_agent() throws Exception {
        for (String name : List.of("api%5Fkey", "%61pi_key", "api%5fkey")) {
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/api/v1/vms/web/agent/v1/items?" + name + "=s3cret&x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(name).isEqualTo(207);
            assertThat(received.get().path()).as(name).isEqualTo("/v1/items?x=1");
        }
        assertThat(AgentRoutes.stripApiKey("a=1&api_key&%2561pi_key=2&bad%zz=3")).isEqualTo("a=1&%2561pi_key=2");
        assertThat(DevtoolsTarget.resolve("10.0.0.2", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(),
                "/devtools/page/1", "api%5Fkey=s3cret&t=1").toString()).isEqualTo("ws://10.0.0.2:9222/devtools/page/1?t=1");
    }

    @Test
    void a_proxied_body_over_the_limit_is_413_and_never_reaches_the_agent() throws Exception {
        byte[] big = new byte[Json.MAX_BODY_BYTES + 1];
        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/vms/web/agent/upload")).header("X-Volant-API-Key", "s3cret")
                // As a client sending a large body should: the 413 comes before the body. Without it the client
                // races the server's close and may read a reset instead of the answer (one CI run did).
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"request body too large\"");
        assertThat(received.get()).isNull();
    }

    @Test
    void a_plain_options_request_reaches_the_agent_even_with_cors_on() throws Exception {
        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/vms/web/agent/v1/items")).header("X-Volant-API-Key", "s3cret")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(207);
        assertThat(received.get().method()).isEqualTo("OPTIONS");
    }

    @Test
    void a_stopped_vm_is_409_and_never_reaches_the_agent() throws Exception {
        String base = "http://127.0.0.1:" + server.port();
        var stopped = volantd.vms().stop("web");
        assertThat(stopped.status().wire()).isEqualTo("stopped");
        var r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/vms/web/agent/healthz"))
                .header("X-Volant-API-Key", "s3cret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("\"error\":\"vm not running\"");
        assertThat(received.get()).isNull();
    }
}
