package io.volant.kestrel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.Log;
import io.volant.kestrel.http.ActionRoute;
import io.volant.kestrel.testing.ManualClock;
import io.volant.kestrel.testing.TestManifests;
import io.volant.kestrel.testing.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestResolverTest {
    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock();
    private final ManifestResolver resolver = new ManifestResolver(new LibraryManifestDecoder(),
            HttpClient.newHttpClient(), clock,
            new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "kestrel: "));
    private final String json = TestManifests.json("demo", 8081, "/tmp/m", List.of());

    @Test
    void manifest_from_the_environment_is_decoded_and_normalized() {
        ManifestResolver.Initial r = resolver.initial(TestManifests.encoded(json), Cmdline.parse(""));

        AgentManifest m = ((ManifestResolver.Initial.Found) r).manifest();
        assertThat(((ManifestResolver.Initial.Found) r).source()).isEqualTo("env");
        assertThat(m.name()).isEqualTo("demo");
        assertThat(m.routes().orElseThrow().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(m.routes().orElseThrow().actions())
                .containsExactly(new ActionRoute("reload", "POST", "/reload", Duration.ofSeconds(5)));
        assertThat(m.workload().orElseThrow().entrypoint()).startsWith("java");
        assertThat(m.workload().orElseThrow().healthEndpoint()).isEqualTo("/health");
    }

    @Test
    void manifest_from_a_fake_cmdline_file_is_decoded() throws Exception {
        Path cmdline = tmp.resolve("cmdline");
        Files.writeString(cmdline, "console=ttyS0 ip=10.0.0.2::10.0.0.1:255.255.255.0:demo:eth0:off "
                + "volant.api_host=10.0.0.1 volant.api_port=7777 volant.manifest=" + TestManifests.encoded(json)
                + " volant.plugin=demo\n");

        ManifestResolver.Initial r = resolver.initial("", Cmdline.read(cmdline));

        assertThat(r).isInstanceOf(ManifestResolver.Initial.Found.class);
        assertThat(((ManifestResolver.Initial.Found) r).source()).isEqualTo("cmdline");
        assertThat(((ManifestResolver.Initial.Found) r).manifest().name()).isEqualTo("demo");
    }

    @Test
    void environment_wins_over_the_command_line() {
        String other = TestManifests.json("other", 8082, "/tmp/m", List.of());
        ManifestResolver.Initial r = resolver.initial(TestManifests.encoded(other),
                Cmdline.parse("volant.manifest=" + TestManifests.encoded(json)));
        assertThat(((ManifestResolver.Initial.Found) r).manifest().name()).isEqualTo("other");
    }

    @Test
    void undecodable_manifest_is_fatal_and_names_its_source() {
        assertThatThrownBy(() -> resolver.initial("", Cmdline.parse("volant.manifest=@@@")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("volant.manifest: ");
    }

    @Test
    void without_a_manifest_the_fetch_url_comes_from_the_command_line() {
        ManifestResolver.Initial r = resolver.initial("",
                Cmdline.parse("volant.api_host=10.0.0.1 volant.api_port=7777 volant.plugin=my-app"));
        assertThat(r).isEqualTo(new ManifestResolver.Initial.Fetch(
                URI.create("http://10.0.0.1:7777/api/v1/plugins/my-app/manifest")));
        assertThat(resolver.initial("", Cmdline.parse("volant.api_host=10.0.0.1 volant.plugin=my-app")))
                .isInstanceOf(ManifestResolver.Initial.None.class);
    }

    @Test
    void background_fetch_retries_with_backoff_until_the_control_plane_answers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Upstream volantd = new Upstream()) {
            volantd.route("/api/v1/plugins/demo/manifest", ex -> {
                int n = calls.incrementAndGet();
                byte[] body = (n == 1 ? "down" : n == 2 ? "{not json" : json).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(n == 1 ? 503 : 200, body.length);
                ex.getResponseBody().write(body);
            });
            AtomicReference<AgentManifest> got = new AtomicReference<>();

            resolver.fetchInBackground(volantd.base("/api/v1/plugins/demo/manifest"), got::set);

            await().atMost(Duration.ofSeconds(30)).until(() -> got.get() != null);
            assertThat(got.get().name()).isEqualTo("demo");
            assertThat(calls.get()).isEqualTo(3);
            assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void non_http_workloads_and_bad_base_urls_give_no_routes() {
        String task = json.replace("\"type\":\"HTTP\"", "\"type\":\"batch\"");
        AgentManifest m = new LibraryManifestDecoder().decode(TestManifests.encoded(task));
        assertThat(m.routes()).isEmpty();
        assertThat(m.workload()).isEmpty();
        assertThat(m.notes()).singleElement().asString().contains("batch");

        String badUrl = json.replace("http://127.0.0.1:8081", "not a url");
        assertThat(new LibraryManifestDecoder().parseJson(badUrl.getBytes(StandardCharsets.UTF_8)).routes()).isEmpty();
    }
}
