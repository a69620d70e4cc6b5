package io.volant.fledge.cli;

import static io.volant.fledge.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.fledge.Main;
import io.volant.fledge.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real fledge server on port 0 with a real HTTP client. */
class ServeCommandTest {
    @TempDir Path dir;
    ServeCommand serve;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Fixtures.Cli cli = new Fixtures.Cli(dir, dir.resolve("tmp"));
        cli.vars.put("FLEDGE_API_KEY", "s3cret");
        cli.vars.put("FLEDGE_INIT_BINARY", Fixtures.fakeInit(dir).toString());
        cli.vars.put("FLEDGE_AGENT_BUNDLE", Fixtures.fakeBundle(dir).toString());
        var cl = Main.commandLine(cli.env());
        serve = (ServeCommand) cl.getSubcommands().get("serve").getCommand();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> cl.execute("serve", "--addr", "127.0.0.1:0", "-q"), r -> Thread.ofPlatform().start(r));
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> serve.port() > 0 || run.isDone());
        assertThat(run.isDone()).as(cli.err()).isFalse();
        port = serve.port();
    }

    @AfterEach
    void stop() {
        serve.stop();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthz_needs_the_key_by_bearer_or_header() throws Exception {
        assertThat(send("GET", "/v1/healthz", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/healthz", null).body()).isEqualTo("unauthorized");
        HttpResponse<String> ok = send("GET", "/v1/healthz", null, "Authorization", "Bearer s3cret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
        assertThat(send("GET", "/v1/healthz", null, "X-API-Key", "s3cret").statusCode()).isEqualTo(200);
    }

    @Test
    void cors_allows_localhost_by_default_and_rejects_other_origins() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/healthz", null, "Origin", "http://localhost:3000", "X-API-Key", "s3cret");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        assertThat(r.headers().firstValue("Vary")).contains("Origin");
        assertThat(send("GET", "/v1/healthz", null, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        HttpResponse<String> pre = send("OPTIONS", "/v1/build", null, "Origin", "http://127.0.0.1:8080");
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Methods")).contains("POST, GET, OPTIONS");
        assertThat(ServeCommand.originAllowed("https://x.example", List.of("*"))).isTrue();
        assertThat(ServeCommand.originAllowed("https://x.example", List.of("https://y.example"))).isFalse();
    }

    @Test
    void build_validates_its_request() throws Exception {
        String[] auth = {"X-API-Key", "s3cret"};
        assertThat(send("GET", "/v1/build", null, auth).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/v1/build", "{nope", auth).statusCode()).isEqualTo(400);
        HttpResponse<String> missing = send("POST", "/v1/build", "{}", auth);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("config_path is required");
        write(dir.resolve("bad/fledge.toml"), "version = \"9\"\nstrategy = \"initramfs\"\n");
        HttpResponse<String> bad = send("POST", "/v1/build", "{\"config_path\":\"bad/fledge.toml\"}", auth);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("failed to parse config: validation failed: unsupported config version '9', expected '1'");
    }

    @Test
    void build_produces_the_artifact_with_a_derived_name() throws Exception {
        write(dir.resolve("web/fledge.toml"), """
                version = "1"
                strategy = "initramfs"
                [source]
                busybox_url = "%s"
                """.formatted(Fixtures.fakeBusybox(dir).toUri()));
        HttpResponse<String> r = send("POST", "/v1/build",
                "{\"config_path\":\"web/fledge.toml\",\"output_path\":\"out/web.cpio.gz\"}", "X-API-Key", "s3cret");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"output\":\"" + dir.resolve("out/web.cpio.gz") + "\"}");
        assertThat(Files.readString(dir.resolve("out/web.cpio.gz.manifest.json"))).contains("\"name\": \"web\"");
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }
}
