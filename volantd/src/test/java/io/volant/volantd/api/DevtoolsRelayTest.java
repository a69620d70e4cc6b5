package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.TransportAgentGateway;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.manifest.Manifests;
import io.volant.volantd.Volantd;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.vm.CreateVmRequest;
import io.volant.volantd.vm.Vm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DevTools WebSocket relay (api-and-cli.md §2.10.3) between a real client and a fake guest browser (a second
 * Javalin with a DevTools-like endpoint); only the VM's IP is mapped to loopback, the dial itself is the real one.
 */
class DevtoolsRelayTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<String> browserSaw = new CopyOnWriteArrayList<>();
    private final AtomicInteger browserClose = new AtomicInteger();
    private boolean throughTransport;
    private Javalin browser;
    private int devtoolsPort;
    @TempDir
    Path tmp;
    private Volantd volantd;
    private ApiServer server;

    @BeforeEach
    void start() throws IOException {
        browser = Javalin.create(cfg -> cfg.routes.ws("/devtools/<path>", ws -> {
            ws.onConnect(ctx -> ctx.send("hello /devtools/" + ctx.pathParam("path") + "?" + ctx.queryString()));
            ws.onMessage(ctx -> {
                browserSaw.add(ctx.message());
                if (ctx.message().equals("bye")) {
                    ctx.closeSession(1000, "done");
                } else {
                    ctx.send("echo:" + ctx.message());
                }
            });
            ws.onBinaryMessage(ctx -> ctx.send(ctx.data()));
            ws.onClose(ctx -> browserClose.set(ctx.status()));
        })).start("127.0.0.1", 0);
        devtoolsPort = browser.port();
        startVolantd(devtoolsPort);
    }

    private void startVolantd(int port) throws IOException {
        // A fresh directory per daemon: one test restarts it (JUnit removes the whole @TempDir afterwards).
        Path dir = Files.createTempDirectory(tmp, "volantd-");
        volantd = Volantd.builder(VolantdConfig.forDirectory(dir)).build();
        volantd.start();
        volantd.plugins().install(Manifests.parse(
                DevtoolsRelayTest.class.getResourceAsStream("/it/example-caddy.manifest.json").readAllBytes()));
        volantd.vms().create(CreateVmRequest.of("web", "caddy"));
        AgentGateway agent = new AgentGateway() {
            @Override
            public Response send(String vm, String ip, Request request, Duration timeout) {
                String meta = "{\"websocket_url\":\"ws://127.0.0.1:" + port + "/devtools/browser/abc\","
                        + "\"websocket_path\":\"/devtools/browser/abc\",\"browser_version\":\"Chrome/1\","
                        + "\"user_agent\":\"ua\",\"address\":\"127.0.0.1\",\"port\":" + port + "}";
                return new Response(request.path().equals("/v1/devtools") ? 200 : 404, Map.of(),
                        new ByteArrayInputStream(meta.getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public CompletableFuture<WebSocket> openWebSocket(String vm, String ip, URI target, WebSocket.Listener l,
                                                            Duration t) {
                assertThat(target.getHost()).isEqualTo(ip);
                if (throughTransport) {
                    // The real gateway's path: a loopback bridge onto the agent transport (here: TCP to the fake).
                    return new TransportAgentGateway((name, vmIp) -> new io.volant.volantd.agent.TcpTransport("127.0.0.1", 5_000))
                            .openWebSocket(vm, ip, target, l, t);
                }
                URI local = URI.create(target.toString().replace("//" + ip + ":", "//127.0.0.1:"));
                return AgentGateway.super.openWebSocket(vm, ip, local, l, t);
            }
        };
        ApiServices services = new ApiServices(volantd.vms(), volantd.deployments(), volantd.plugins(),
                volantd.events(), null, new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), agent, DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server = new ApiServer(ApiSettings.defaults(), services).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.stop();
        volantd.close();
        browser.stop();
    }

    /** Collects what the relay sends to the client. */
    static final class Client implements WebSocket.Listener {
        final List<Object> frames = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frames.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            frames.add(List.of(b[0], b[1], b[2]));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.set(statusCode);
            return null;
        }
    }

    private WebSocket connect(String pathAndQuery, Client listener) {
        return client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                + "/ws/v1/vms/web/devtools" + pathAndQuery), listener).join();
    }

    @Test
    void frames_are_relayed_both_ways_keeping_their_type_to_the_requested_path_without_the_api_key() {
        Client c = new Client();
        WebSocket ws = connect("/devtools/page/1?x=1&api_key=zzz", c);

        await().atMost(Duration.ofSeconds(10)).until(() -> !c.frames.isEmpty());
        assertThat(c.frames.get(0)).isEqualTo("hello /devtools/page/1?x=1");
        ws.sendText("ping", true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.frames.contains("echo:ping"));
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.frames.contains(List.of((byte) 1, (byte) 2, (byte) 3)));
        assertThat(browserSaw).containsExactly("ping");
        ws.abort();
    }

    @Test
    void the_transport_gateway_relays_through_a_loopback_bridge_onto_the_agent_transport() {
        throughTransport = true;
        Client c = new Client();
        WebSocket ws = connect("/devtools/page/2?y=2", c);

        await().atMost(Duration.ofSeconds(10)).until(() -> !c.frames.isEmpty());
        assertThat(c.frames.get(0)).isEqualTo("hello /devtools/page/2?y=2");
        ws.sendText("ping", true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.frames.contains("echo:ping"));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        await().atMost(Duration.ofSeconds(10)).until(() -> browserClose.get() == 1000);
    }

    @Test
    void an_empty_path_uses_the_advertised_websocket_path() {
        Client c = new Client();
        WebSocket ws = connect("/", c);
        await().atMost(Duration.ofSeconds(10)).until(() -> !c.frames.isEmpty());
        assertThat(c.frames.get(0)).isEqualTo("hello /devtools/browser/abc?null");
        ws.abort();
    }

    @Test
    void the_browser_closing_closes_the_client_with_1000() {
        Client c = new Client();
        WebSocket ws = connect("/devtools/page/1", c);
        ws.sendText("bye", true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> c.closed.get() == 1000);
    }

    @Test
    void the_client_closing_closes_the_browser_side_with_1000() {
        Client c = new Client();
        WebSocket ws = connect("/devtools/page/1", c);
        await().atMost(Duration.ofSeconds(10)).until(() -> !c.frames.isEmpty());
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        await().atMost(Duration.ofSeconds(10)).until(() -> browserClose.get() == 1000);
    }

    @Test
    void an_unreachable_browser_refuses_the_handshake_with_502() throws IOException {
        server.stop();
        volantd.close();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        startVolantd(closedPort);

        assertThatThrownBy(() -> connect("/devtools/page/1", new Client())).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(502));
    }
}
