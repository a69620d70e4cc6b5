package io.volant.kestrel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.testing.TestManifests;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kestrel as a real child JVM with a real workload process: the closest a host test gets to the guest, where the init
 * starts kestrel the same way and powers off when it exits.
 */
class KestrelProcessTest {
    private static final Pattern LISTENING = Pattern.compile("kestrel: api listening .*port=(\\d+)");

    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process kestrel;

    @AfterEach
    void cleanUp() {
        if (kestrel != null && kestrel.isAlive()) {
            kestrel.descendants().forEach(ProcessHandle::destroyForcibly);
            kestrel.destroyForcibly();
        }
    }

    private int startKestrel(Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin"); // no test JDK here: the manifest's PATH must find it
        pb.environment().put("volant_AGENT_LISTEN_ADDR", "127.0.0.1:0");
        pb.environment().put("volant_AGENT_GUEST", "false");
        pb.environment().put("volant_AGENT_CMDLINE", tmp.resolve("no-cmdline").toString());
        pb.environment().putAll(extraEnv);
        kestrel = pb.start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(kestrel.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (Exception e) {
                output.add("(reader ended: " + e + ")");
            }
        });
        return await("kestrel listening").atMost(Duration.ofSeconds(60)).until(() -> output.stream()
                .map(LISTENING::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .findFirst().orElse(0), p -> p > 0);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runs_the_manifest_workload_proxies_to_it_serves_its_logs_and_stops_it_gracefully_on_sigterm()
            throws Exception {
        int workloadPort = TestManifests.freePort();
        Path marker = tmp.resolve("marker");
        String json = TestManifests.json("e2e", workloadPort, marker.toString(), List.of());
        int port = startKestrel(Map.of("VOLANT_MANIFEST", TestManifests.encoded(json)));

        assertThat(output).first().isEqualTo("kestrel: starting main");
        await("workload running").atMost(Duration.ofSeconds(90))
                .until(() -> get(port, "/healthz").body(), b -> b.contains("\"state\":\"running\""));
        assertThat(get(port, "/healthz").body()).matches(
                "\\{\"status\":\"ok\",\"uptime\":\"\\d+s\",\"version\":\"v2.0\",\"workload\":\\{\"state\":\"running\","
                        + "\"pid\":\\d+,\"restarts\":0,\"last_exit\":null}}\\s*");

        // passthrough: method, raw query, headers and body reach the workload
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/things/1?a=b%20c")).header("X-Test", "t1")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("data")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echo.body()).isEqualTo("PATCH /things/1?a=b%20c x-test=t1 body=data");
        // action: manifest method "post" and path "reload" are normalized to POST /v1/reload
        HttpResponse<String> action = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/reload")).POST(HttpRequest.BodyPublishers
                        .ofString("{\"force\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(action.body()).isEqualTo("POST /reload x-test=null body={\"force\":true}");

        // streaming through the real workload: chunk 1 arrives while the workload still holds the response open
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("chunk-1");
            get(port, "/v1/release");
            assertThat(in.readLine()).isEqualTo("chunk-2");
        }

        // logs: JSON array, then SSE replay followed by a live line
        await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/v1/logs").body(),
                b -> b.contains("\"stream\":\"stdout\",\"line\":\"workload listening port=" + workloadPort)
                        && b.contains("\"stream\":\"stderr\",\"line\":\"workload stderr line\""));
        HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/logs/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            // replay: both earlier lines (stdout and stderr race each other, so in either order)
            List<String> replay = List.of(in.readLine(), in.readLine(), in.readLine(), in.readLine());
            assertThat(replay).anyMatch(l -> l.startsWith(
                    "data: {\"stream\":\"stdout\",\"line\":\"workload listening port=" + workloadPort));
            assertThat(replay).anyMatch(l -> l.startsWith(
                    "data: {\"stream\":\"stderr\",\"line\":\"workload stderr line\""));
            get(port, "/v1/log?msg=live-line-42");
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.contains("live-line-42"));
            assertThat(line).startsWith("data: {\"stream\":\"stdout\",\"line\":\"live-line-42\",\"timestamp\":\"");
        }

        // SIGTERM: the workload gets SIGTERM (its hook writes the marker) and kestrel exits 0
        kestrel.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
        await("kestrel exit").atMost(Duration.ofSeconds(30)).until(() -> !kestrel.isAlive());
        assertThat(kestrel.exitValue()).isZero();
        assertThat(Files.readString(marker)).isEqualTo("TERM");
        assertThat(output).contains("kestrel: shutdown complete");
    }

    @Test
    void undecodable_manifest_is_fatal_with_exit_status_1() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("volant_AGENT_LISTEN_ADDR", "127.0.0.1:0");
        pb.environment().put("volant_AGENT_GUEST", "false");
        pb.environment().put("VOLANT_MANIFEST", "%%%not-base64%%%");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive());
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out).contains("agent error: VOLANT_MANIFEST: volant.manifest: invalid base64url");
    }
}
