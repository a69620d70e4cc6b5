package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served OpenAPI document ({@code GET /openapi}) against reality: a full run of volar's HTTP commands (success and
 * error paths) goes through a recording proxy to a real in-process volantd (simulated backend), and every recorded
 * response is validated against the document with swagger-request-validator. WebSocket sessions ({@code vms
 * console}, {@code vms logs}) cannot pass the proxy and are not part of the run.
 */
class OpenApiConformanceTest {
    @TempDir
    Path dir;

    record Exchange(String method, String path, int status, String contentType, String body) {}

    @Test
    void every_response_of_a_full_volar_run_matches_the_served_document() throws Exception {
        try (RealVolantd volantd = new RealVolantd(dir, Map.of()); Recorder proxy = new Recorder(volantd.base())) {
            Cli cli = new Cli().api(proxy.base()).cwd(dir);
            Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
            Files.writeString(dir.resolve("patch.yaml"), "resources:\n  cpu_cores: 2\n");
            Files.writeString(dir.resolve("d1.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":256}}");
            Files.writeString(dir.resolve("d2.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":384}}");
            List<String[]> run = List.of(
                    new String[] {"plugins", "install", "caddy.json"},
                    new String[] {"plugins", "install", "caddy.json"},
                    new String[] {"plugins", "list"},
                    new String[] {"plugins", "show", "caddy"},
                    new String[] {"plugins", "manifest", "caddy"},
                    new String[] {"plugins", "show", "ghost"},
                    new String[] {"plugins", "disable", "caddy"},
                    new String[] {"vms", "create", "off", "--plugin", "caddy"},
                    new String[] {"plugins", "enable", "caddy"},
                    new String[] {"plugins", "artifacts", "add", "caddy", "rootfs", "--version", "0.1.0",
                        "--kind", "rootfs", "--source-url", "https://example.com/r.img"},
                    new String[] {"plugins", "artifacts", "list", "caddy"},
                    new String[] {"plugins", "artifacts", "get", "caddy", "rootfs", "--version", "0.1.0"},
                    new String[] {"plugins", "artifacts", "get", "caddy", "ghost", "--version", "9"},
                    new String[] {"vms", "create", "web", "--plugin", "caddy", "--cpu", "1", "--memory", "256"},
                    new String[] {"vms", "create", "web", "--plugin", "caddy"},
                    new String[] {"vms", "create", "Bad_Name", "--plugin", "caddy"},
                    new String[] {"vms", "create", "nop", "--plugin", "ghost"},
                    new String[] {"vms", "list"},
                    new String[] {"vms", "list", "--status", "running"},
                    new String[] {"vms", "get", "web"},
                    new String[] {"vms", "get", "ghost"},
                    new String[] {"vms", "config", "get", "web"},
                    new String[] {"vms", "config", "get", "web", "--raw"},
                    new String[] {"vms", "config", "patch", "web", "--file", "patch.yaml"},
                    new String[] {"vms", "config", "history", "web"},
                    new String[] {"vms", "scale", "web", "--memory", "384"},
                    new String[] {"vms", "operations", "web"},
                    new String[] {"vms", "call", "web", "getStatus"},
                    new String[] {"vms", "action", "web", "reload"},
                    new String[] {"vms", "expose", "web", "18080:80"},
                    new String[] {"vms", "expose", "web", "18080:80"},
                    new String[] {"vms", "unexpose", "web", "18080"},
                    new String[] {"vms", "unexpose", "web", "18080"},
                    new String[] {"vms", "suspend", "web"},
                    new String[] {"vms", "suspend", "web"},
                    new String[] {"vms", "resume", "web"},
                    new String[] {"vms", "resume", "web"},
                    new String[] {"vms", "stop", "web"},
                    new String[] {"vms", "stop", "web"},
                    new String[] {"vms", "start", "web"},
                    new String[] {"vms", "restart", "web"},
                    new String[] {"deployments", "create", "dep", "--config", "d1.json", "--replicas", "2", "--wait"},
                    new String[] {"deployments", "create", "dep", "--config", "d1.json"},
                    new String[] {"deployments", "list"},
                    new String[] {"deployments", "get", "dep"},
                    new String[] {"deployments", "get", "ghost"},
                    new String[] {"deployments", "scale", "dep", "3", "--wait"},
                    new String[] {"deployments", "update", "dep", "--config", "d2.json", "--wait"},
                    new String[] {"vms", "scale", "dep", "--replicas", "1"},
                    new String[] {"deployments", "expose", "dep", "18081:80"},
                    new String[] {"deployments", "unexpose", "dep", "18081"},
                    new String[] {"events", "--count", "1"},
                    new String[] {"deployments", "delete", "dep"},
                    new String[] {"deployments", "delete", "dep"},
                    new String[] {"vms", "delete", "web"},
                    new String[] {"vms", "delete", "off"},
                    new String[] {"vms", "delete", "web"},
                    new String[] {"plugins", "artifacts", "delete", "caddy", "--version", "0.1.0"},
                    new String[] {"plugins", "remove", "caddy"},
                    new String[] {"plugins", "remove", "caddy"});
            for (String[] command : run) {
                if (command[0].equals("events")) {
                    // One event must arrive while the stream is open: a create from another thread.
                    Thread.ofVirtual().start(() -> {
                        sleepQuietly();
                        new Cli().api(volantd.base()).cwd(dir).run("vms", "create", "ev", "--plugin", "caddy");
                    });
                }
                cli.run(command);
            }

            String document = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(volantd.base()
                    + "/openapi")).build(), HttpResponse.BodyHandlers.ofString()).body();
            OpenApiInteractionValidator validator = OpenApiInteractionValidator
                    .createForInlineApiSpecification(document).build();
            List<String> failures = new ArrayList<>();
            Set<String> covered = new java.util.TreeSet<>();
            for (Exchange e : proxy.exchanges) {
                covered.add(e.method() + " " + e.path() + " " + e.status());
                SimpleResponse.Builder response = SimpleResponse.Builder.status(e.status()).withBody(e.body());
                if (e.contentType() != null) {
                    response.withContentType(e.contentType());
                }
                ValidationReport report = validator.validateResponse(e.path(),
                        Request.Method.valueOf(e.method().toUpperCase(Locale.ROOT)), response.build());
                if (report.hasErrors()) {
                    failures.add(e.method() + " " + e.path() + " -> " + e.status() + ": " + report.getMessages()
                            .stream().map(ValidationReport.Message::getMessage).toList());
                }
            }
            assertThat(covered).as("the run reaches the API broadly").hasSizeGreaterThan(30);
            assertThat(failures).as("responses that the served document does not describe").isEmpty();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(Duration.ofMillis(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A forwarding HTTP proxy on loopback that records every exchange (bodies up to 1 MiB). */
    static final class Recorder implements AutoCloseable {
        private static final Set<String> HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
                "transfer-encoding", "keep-alive");
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String target;

        Recorder(String target) throws IOException {
            this.target = target;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::forward);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void forward(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().toString()))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                ex.getRequestHeaders().forEach((k, vs) -> {
                    if (!HOP.contains(k.toLowerCase(Locale.ROOT))) {
                        vs.forEach(v -> b.header(k, v));
                    }
                });
                HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                r.headers().map().forEach((k, vs) -> {
                    if (!HOP.contains(k.toLowerCase(Locale.ROOT))) {
                        ex.getResponseHeaders().put(k, vs);
                    }
                });
                boolean empty = r.statusCode() == 204 || r.statusCode() == 304
                        || ex.getRequestMethod().equals("HEAD");
                ex.sendResponseHeaders(r.statusCode(), empty ? -1 : 0);
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                try (InputStream in = r.body(); OutputStream out = ex.getResponseBody()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        if (seen.size() < (1 << 20)) {
                            seen.write(buf, 0, n);
                        }
                        if (!empty) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException clientLeft) {
                    // the SSE client stops reading after its count; what passed is recorded
                }
                exchanges.add(new Exchange(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), r.statusCode(),
                        r.headers().firstValue("content-type").orElse(null),
                        seen.toString(StandardCharsets.UTF_8)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
