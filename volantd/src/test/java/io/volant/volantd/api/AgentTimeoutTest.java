package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.TransportAgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.manifest.Manifests;
import io.volant.volantd.Volantd;
import io.volant.volantd.agent.AgentTransport;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.vm.CreateVmRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * api-and-cli.md §3.7 agent timeouts through the real agent client ({@link TransportAgentGateway} over
 * {@code AgentHttp}) against an agent that accepts connections and never answers.
 */
class AgentTimeoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private ServerSocket silentAgent;
    private Path dir;
    private Volantd volantd;
    private ApiServer server;

    @BeforeEach
    void start() throws IOException {
        silentAgent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!silentAgent.isClosed()) {
                try {
                    held.add(silentAgent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        dir = Files.createTempDirectory("volantd-timeouts-");
        volantd = Volantd.builder(VolantdConfig.forDirectory(dir)).build();
        volantd.start();
        ObjectNode manifest = (ObjectNode) JSON.readTree(
                AgentTimeoutTest.class.getResourceAsStream("/it/example-caddy.manifest.json").readAllBytes());
        manifest.putObject("actions").putObject("reload").put("description", "reload").put("method", "POST")
                .put("path", "/reload").put("timeout_ms", 300);
        volantd.plugins().install(Manifests.parse(JSON.writeValueAsString(manifest)));
        volantd.vms().create(CreateVmRequest.of("web", "caddy"));
        AgentTransport silent = new AgentTransport() {
            @Override
            public ByteChannel open(int port) throws IOException {
                return SocketChannel.open(new InetSocketAddress(silentAgent.getInetAddress(), silentAgent.getLocalPort()));
            }

            @Override
            public String describe() {
                return "127.0.0.1";
            }
        };
        ApiServices services = new ApiServices(volantd.vms(), volantd.deployments(), volantd.plugins(),
                volantd.events(), null, new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), new TransportAgentGateway((vm, ip) -> silent), DriftClient.notConfigured(),
                SimulatedControls.absent(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server = new ApiServer(ApiSettings.defaults(), services,
                Timeouts.defaults().withAgentHeaders(Duration.ofMillis(500))).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
        volantd.close();
        silentAgent.close();
        for (Socket s : held) {
            s.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_proxied_call_whose_agent_never_answers_ends_with_502_naming_the_wait() throws Exception {
        var r = send("GET", "/api/v1/vms/web/agent/v1/slow", "");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("agent 127.0.0.1 did not answer within 500 ms");
    }

    @Test
    void an_action_past_its_timeout_ms_ends_with_504_action_timed_out() throws Exception {
        var r = send("POST", "/api/v1/vms/web/actions/caddy/reload", "{}");

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("action timed out");
    }
}
