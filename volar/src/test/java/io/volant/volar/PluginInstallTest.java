package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.volant.volar.fake.RecordingProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plugins install} sources and rewrites (api-and-cli.md §5.7, AC-C8, AC-C9; plugins-and-guest.md §1.7):
 * manifests from files and a loopback HTTP server, uploaded to a real volantd through a {@link RecordingProxy}.
 */
class PluginInstallTest {
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> files = new ConcurrentHashMap<>();
    private RealVolantd real;
    private RecordingProxy volantd;
    private HttpServer web;
    private Cli cli;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        real = new RealVolantd(dir, Map.of());
        volantd = new RecordingProxy(real.base());
        cli = new Cli().api(volantd.base()).cwd(dir);
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", ex -> {
            try (ex) {
                String body = files.get(ex.getRequestURI().getPath());
                byte[] b = (body == null ? "no such file" : body).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(body == null ? 404 : 200, b.length);
                ex.getResponseBody().write(b);
            }
        });
        web.start();
    }

    @AfterEach
    void stop() {
        web.stop(0);
        volantd.close();
        real.close();
    }

    private String webBase() {
        return "http://127.0.0.1:" + web.getAddress().getPort();
    }

    private JsonNode uploaded() throws Exception {
        return json.readTree(volantd.requests("POST", "/api/v1/plugins").getLast().body());
    }

    @Test
    void a_manifest_from_a_url_gets_its_relative_initramfs_resolved_against_that_url() throws Exception {
        files.put("/releases/v1/caddy.json", """
                {"name":"caddy","version":"0.1.0","runtime":"caddy",
                 "initramfs":{"url":"caddy.cpio.gz"},
                 "rootfs":{"url":"../images/root.img"},
                 "disks":[{"name":"data","source":"data.img"},{"name":"abs","source":"/srv/abs.img"}],
                 "resources":{"cpu_cores":1,"memory_mb":512},
                 "workload":{"type":"http","base_url":"http://127.0.0.1:80","entrypoint":["caddy"]},
                 "cloud_init":{"user_data":{"path":"user-data.yaml"}}}
                """);
        files.put("/releases/v1/user-data.yaml", "#cloud-config\nhostname: demo\n");

        Cli.Result r = cli.run("plugins", "install", "--manifest", webBase() + "/releases/v1/caddy.json");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Plugin caddy 0.1.0 installed\n");
        JsonNode m = uploaded();
        assertThat(m.path("initramfs").path("url").asText()).isEqualTo(webBase() + "/releases/v1/caddy.cpio.gz");
        assertThat(m.path("rootfs").path("url").asText()).isEqualTo(webBase() + "/releases/images/root.img");
        assertThat(m.path("disks").get(0).path("source").asText()).isEqualTo(webBase() + "/releases/v1/data.img");
        assertThat(m.path("disks").get(1).path("source").asText()).isEqualTo("/srv/abs.img");
        JsonNode ud = m.path("cloud_init").path("user_data");
        assertThat(ud.path("inline").asBoolean()).isTrue();
        assertThat(ud.path("content").asText()).isEqualTo("#cloud-config\nhostname: demo\n");
        assertThat(ud.has("path")).isFalse();
        assertThat(cli.run("plugins", "list").out()).contains("caddy");
    }

    @Test
    void ac_c9_a_relative_manifest_path_resolves_against_its_absolute_directory() throws Exception {
        Path p = Files.createDirectories(dir.resolve("p"));
        Files.writeString(p.resolve("m.json"), """
                {"name":"demo","version":"1.0","rootfs":{"url":"rootfs.img"},
                 "resources":{"cpu_cores":1,"memory_mb":256},
                 "workload":{"type":"http","base_url":"http://127.0.0.1:80","entrypoint":["/app"]},
                 "cloud_init":{"user_data":{"inline":false,"path":"ud.yaml"},
                               "meta_data":{"inline":true,"content":"instance-id: x"}}}
                """);
        Files.writeString(p.resolve("ud.yaml"), "#cloud-config\nruncmd: [echo hi]\n");

        Cli.Result r = cli.run("plugins", "install", "p/m.json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode m = uploaded();
        assertThat(m.path("rootfs").path("url").asText()).isEqualTo(dir.resolve("p/rootfs.img").toString());
        assertThat(m.path("cloud_init").path("user_data").path("content").asText())
                .isEqualTo("#cloud-config\nruncmd: [echo hi]\n");
        assertThat(m.path("cloud_init").path("user_data").path("inline").asBoolean()).isTrue();
        assertThat(m.path("cloud_init").path("meta_data").path("content").asText()).isEqualTo("instance-id: x");
    }

    @Test
    void an_angle_bracketed_url_argument_is_fetched_without_the_brackets() throws Exception {
        files.put("/m.json", TestManifests.CADDY);

        Cli.Result r = cli.run("plugins", "install", "<" + webBase() + "/m.json>");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(uploaded().path("name").asText()).isEqualTo("caddy");
    }

    @Test
    void a_failed_download_names_the_status_and_sends_nothing() {
        Cli.Result r = cli.run("plugins", "install", "--url", webBase() + "/missing.json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: download manifest " + webBase() + "/missing.json: http 404: no such file\n");
        assertThat(volantd.requests()).noneMatch(q -> q.path().equals("/api/v1/plugins"));
    }

    @Test
    void a_manifest_that_is_not_json_is_reported_as_a_decode_error() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{ not json");

        Cli.Result r = cli.run("plugins", "install", "--manifest", "bad.json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: decode manifest: ");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void a_missing_cloud_init_document_names_the_field_and_the_file() throws Exception {
        Files.writeString(dir.resolve("m.json"), """
                {"name":"demo","version":"1","initramfs":{"url":"/i.cpio"},
                 "cloud_init":{"user_data":{"path":"gone.yaml"}}}
                """);

        Cli.Result r = cli.run("plugins", "install", "m.json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: read cloud_init.user_data: " + dir.resolve("gone.yaml")
                + ": no such file\n");
    }

    @Test
    void an_invalid_manifest_fails_locally_with_the_spec_message() throws Exception {
        Files.writeString(dir.resolve("m.json"), """
                {"name":"demo","version":"1","resources":{"cpu_cores":1,"memory_mb":64},
                 "workload":{"type":"http","base_url":"http://127.0.0.1:80","entrypoint":["/app"]}}
                """);

        Cli.Result r = cli.run("plugins", "install", "m.json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(
                "Error: plugin manifest: at least one of rootfs.url or initramfs.url must be set\n");
        assertThat(volantd.requests()).noneMatch(q -> q.path().equals("/api/v1/plugins"));
    }
}
