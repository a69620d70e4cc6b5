package io.volant.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the control-plane targets against a real {@code bin/volantd} child process on the {@code simulated}
 * backend, over HTTP on loopback:
 * <ol>
 *   <li>per-VM create latency ({@code POST /api/v1/vms}, sequential; target p50 ≤ 5 ms),</li>
 *   <li>a deployment converging 0 → N replicas (target N = 1000 in ≤ 10 s),</li>
 *   <li>{@code GET /api/v1/vms} with N VMs (target p99 ≤ 20 ms).</li>
 * </ol>
 * Usage: {@code ControlPlaneBench <repo-root> [replicas=1000] [creates=300] [lists=300] [warmup=1000]}. Prints a
 * Markdown table. Creates are measured twice: cold (the first ones after start) and in steady state, after
 * {@code warmup} creates and deletes have let the JIT compile the request path — a daemon's normal condition.
 * Every request loop is bounded in count and time; the child volantd and its temp dir are removed at the end.
 */
public final class ControlPlaneBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONVERGE_LIMIT = Duration.ofMinutes(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private ControlPlaneBench(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ControlPlaneBench <repo-root> [replicas=1000] [creates=300] [lists=300] [warmup=1000]");
            System.exit(2);
        }
        Path repo = Path.of(args[0]).toAbsolutePath();
        int replicas = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int creates = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int lists = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        Path dir = Files.createTempDirectory("volant-bench-");
        int port = freePort();
        Process volantd = startVolantd(repo, dir, port);
        try {
            ControlPlaneBench bench = new ControlPlaneBench("http://127.0.0.1:" + port);
            bench.awaitHealthy(volantd);
            bench.installPlugin();
            List<String> rows = new ArrayList<>();
            rows.addAll(bench.createLatency(creates, warmup));
            rows.add(bench.converge(replicas));
            rows.addAll(bench.listLatency(replicas, lists));
            System.out.println("| Measurement | Result | Target |");
            System.out.println("|---|---|---|");
            rows.forEach(System.out::println);
        } finally {
            volantd.destroy();
            if (!volantd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                volantd.destroyForcibly().waitFor();
            }
            deleteTree(dir);
        }
    }

    private static Process startVolantd(Path repo, Path dir, int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/volantd").toString());
        pb.environment().put("VOLANT_RUNTIME_BACKEND", "simulated");
        pb.environment().put("VOLANT_API_LISTEN", "127.0.0.1:" + port);
        pb.environment().put("VOLANT_DATA_DIR", dir.toString());
        pb.environment().put("VOLANT_DB_PATH", dir.resolve("state.db").toString());
        pb.environment().put("VOLANT_RUNTIME_DIR", dir.resolve("run").toString());
        pb.environment().put("VOLANT_LOG_DIR", dir.resolve("logs").toString());
        pb.environment().put("VOLANT_LOG_LEVEL", "warn");
        pb.environment().put("VOLANT_SUBNET", "10.200.0.0/16");
        pb.environment().put("VOLANT_HOST_IP", "10.200.0.1");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("volantd.log").toFile());
        return pb.start();
    }

    private void awaitHealthy(Process volantd) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!volantd.isAlive()) {
                throw new IllegalStateException("volantd exited with " + volantd.exitValue());
            }
            try {
                if (send("GET", "/healthz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("volantd not healthy within 60 s");
    }

    private void installPlugin() throws Exception {
        String manifest;
        try (InputStream in = ControlPlaneBench.class.getResourceAsStream("/caddy.manifest.json")) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        expect(send("POST", "/api/v1/plugins", manifest), 200, 201);
    }

    private List<String> createLatency(int count, int warmup) throws Exception {
        long[] cold = createAll("cold-", count);
        deleteAll("cold-", count);
        for (int done = 0; done < warmup; done += count) { // JIT and SQLite caches; not measured
            int n = Math.min(count, warmup - done);
            createAll("warm-", n);
            deleteAll("warm-", n);
        }
        long[] nanos = createAll("bench-", count);
        deleteAll("bench-", count);
        return List.of(
                row("VM create (`POST /api/v1/vms`, " + count + " sequential), cold start, p50", ms(percentile(cold, 50)), "—"),
                row("VM create, steady state (after " + warmup + " warm-up creates), p50", ms(percentile(nanos, 50)), "≤ 5 ms"),
                row("VM create, steady state, p99", ms(percentile(nanos, 99)), "—"));
    }

    private long[] createAll(String prefix, int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            String body = "{\"name\":\"" + prefix + i + "\",\"plugin\":\"caddy\"}";
            long t0 = System.nanoTime();
            expect(send("POST", "/api/v1/vms", body), 201);
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private void deleteAll(String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            expect(send("DELETE", "/api/v1/vms/" + prefix + i, null), 200, 204);
        }
    }

    private String converge(int replicas) throws Exception {
        long t0 = System.nanoTime();
        expect(send("POST", "/api/v1/deployments",
                "{\"name\":\"scale\",\"replicas\":" + replicas + ",\"config\":{\"plugin\":\"caddy\"}}"), 201);
        long deadline = t0 + CONVERGE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode d = JSON.readTree(expect(send("GET", "/api/v1/deployments/scale", null), 200).body());
            if (d.path("ready_replicas").asInt() >= replicas) {
                return row("Deployment 0 → " + replicas + " replicas ready", seconds(System.nanoTime() - t0), "≤ 10 s");
            }
            Thread.sleep(20);
        }
        return row("Deployment 0 → " + replicas + " replicas ready", "not converged in " + CONVERGE_LIMIT, "≤ 10 s");
    }

    private List<String> listLatency(int vms, int count) throws Exception {
        for (int i = 0; i < 200; i++) { // warm-up, as for creates
            expect(send("GET", "/api/v1/vms", null), 200);
        }
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = expect(send("GET", "/api/v1/vms", null), 200);
            nanos[i] = System.nanoTime() - t0;
            if (i == 0 && JSON.readTree(r.body()).size() < vms) {
                throw new IllegalStateException("expected " + vms + " VMs in the list");
            }
        }
        return List.of(
                row("`GET /api/v1/vms` at " + vms + " VMs, p50", ms(percentile(nanos, 50)), "—"),
                row("`GET /api/v1/vms` at " + vms + " VMs, p99", ms(percentile(nanos, 99)), "≤ 20 ms"));
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int... codes) {
        for (int c : codes) {
            if (r.statusCode() == c) {
                return r;
            }
        }
        throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static String row(String what, String result, String target) {
        return "| " + what + " | " + result + " | " + target + " |";
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
