package io.volant.kestrel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.boot.LibraryManifestDecoder;
import io.volant.kestrel.config.AgentConfig;
import io.volant.kestrel.testing.TestManifests;
import io.volant.kestrel.testing.Upstream;
import io.volant.kestrel.time.Clock;
import io.volant.kestrel.workload.WorkloadState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kestrel wired in-process (real HTTP, real workload processes), driven by a fake kernel command line. */
class KestrelTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Kestrel kestrel;

    @AfterEach
    void stop() {
        if (kestrel != null) {
            kestrel.shutdown();
        }
    }

    private Kestrel start(String cmdline) throws Exception {
        Path file = tmp.resolve("cmdline");
        Files.writeString(file, cmdline + "\n");
        Map<String, String> env = new HashMap<>(Map.of(
                "volant_AGENT_LISTEN_ADDR", "127.0.0.1:0",
                "volant_AGENT_CMDLINE", file.toString(),
                "volant_AGENT_GUEST", "false",
                "PATH", "/usr/bin:/bin"));
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        kestrel = new Kestrel(AgentConfig.fromEnv(env), env, new LibraryManifestDecoder(), Clock.system(), ps, ps);
        kestrel.start();
        return kestrel;
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kestrel.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void manifest_on_the_fake_command_line_starts_the_workload_and_enables_v1() throws Exception {
        int port = TestManifests.freePort();
        String json = TestManifests.json("cmdline-demo", port, tmp.resolve("m").toString(), List.of());
        start("console=ttyS0 volant.api_host=127.0.0.1 volant.api_port=1 volant.manifest="
                + TestManifests.encoded(json) + " volant.plugin=cmdline-demo volant.runtime=cmdline-demo");

        await().atMost(Duration.ofSeconds(90)).until(() -> kestrel.status().state() == WorkloadState.RUNNING);
        assertThat(get("/v1/hello?x=1")).isEqualTo("GET /hello?x=1 x-test=null body=");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("manifest loaded source=cmdline name=cmdline-demo");
    }

    @Test
    void without_a_manifest_it_is_fetched_from_the_control_plane_and_then_started() throws Exception {
        int port = TestManifests.freePort();
        String json = TestManifests.json("fetched", port, tmp.resolve("m").toString(), List.of());
        AtomicInteger calls = new AtomicInteger();
        try (Upstream volantd = new Upstream()) {
            volantd.route("/api/v1/plugins/fetched/manifest", ex -> {
                calls.incrementAndGet();
                byte[] b = json.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            });
            start("volant.api_host=127.0.0.1 volant.api_port=" + volantd.base("/").getPort() + " volant.plugin=fetched");

            // the API answers at once; /v1 appears once the manifest has arrived
            assertThat(get("/healthz")).contains("\"status\":\"ok\"");
            await().atMost(Duration.ofSeconds(90)).until(() -> kestrel.status().state() == WorkloadState.RUNNING);
            assertThat(get("/v1/x")).isEqualTo("GET /x x-test=null body=");
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void without_any_manifest_only_healthz_is_served() throws Exception {
        start("console=ttyS0 quiet");
        assertThat(get("/healthz")).contains("\"workload\":{\"state\":\"pending\",\"pid\":null");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kestrel.port() + "/v1/x"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}
