package io.volant.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Everything one e2e run owns: a work directory, a network namespace, a loopback port and the bin/volantd child
 * process. Commands go through the real launchers (bin/fledge, bin/volar, bin/volantd); state is read back from
 * volantd's REST API on loopback, guests are reached with {@code ip netns exec <ns> curl}.
 */
final class E2eHost implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(12);

    final Path root;
    final Path work;
    final String netns;
    final String api;
    final Path runDir;
    final Path dataDir;
    final Path logDir;
    final Path db;
    private final Path reports;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Volantd volantd;
    private boolean netnsCreated;

    private E2eHost(Path root, Path work, String netns, int port, Path reports,
            Function<String, Map<String, String>> extraEnv) {
        this.root = root;
        this.work = work;
        this.netns = netns;
        this.api = "http://127.0.0.1:" + port;
        this.runDir = work.resolve("run");
        this.dataDir = work.resolve("data");
        this.logDir = work.resolve("logs");
        this.db = dataDir.resolve("state.db");
        this.reports = reports;
        Path kernel = root.resolve("build/kernel");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VOLANT_RUNTIME_BACKEND", "qemu");
        // Always: without it volantd would configure the root namespace's networking.
        env.put("VOLANT_NETNS", netns);
        env.put("VOLANT_API_LISTEN", "127.0.0.1:" + port);
        env.put("VOLANT_DATA_DIR", dataDir.toString());
        env.put("VOLANT_DB_PATH", db.toString());
        env.put("VOLANT_RUNTIME_DIR", runDir.toString());
        env.put("VOLANT_LOG_DIR", logDir.toString());
        env.put("VOLANT_GUEST_KERNEL", kernel.resolve("vmlinuz").toString());
        env.put("VOLANT_GUEST_MODULES_DIR", kernel.resolve("lib/modules").resolve(read(kernel.resolve("release")).strip()).toString());
        env.put("VOLANT_BASE_INITRAMFS", work.resolve("base-initramfs.cpio.gz").toString());
        // The read-only agent disk every VM gets (scripts/build.sh makes it); fledge no longer embeds the agent.
        env.put("VOLANT_AGENT_IMAGE", root.resolve("build/agent-bundle.img").toString());
        env.putAll(extraEnv.apply(api));
        this.volantd = new Volantd(root.resolve("bin/volantd"), env, work.resolve("volantd.log"));
    }

    /** Creates the work dir (short: socket paths must stay under 107 bytes) and the namespace. */
    static E2eHost create(Path root, Path reports) throws IOException {
        return create(root, reports, "");
    }

    /** As {@link #create(Path, Path)}, with {@code tag} in the names, so suites in one JVM never share them. */
    static E2eHost create(Path root, Path reports, String tag) throws IOException {
        return create(root, reports, tag, api -> Map.of());
    }

    /**
     * As {@link #create(Path, Path, String)}, with more volantd environment made from this host's API URL (a cluster
     * node's {@code VOLANT_NODE_URL} names it).
     */
    static E2eHost create(Path root, Path reports, String tag, Function<String, Map<String, String>> extraEnv)
            throws IOException {
        String id = (tag.isEmpty() ? "" : tag + "-") + ProcessHandle.current().pid();
        Path work = Path.of("/tmp", "ve2e-" + id);
        deleteTree(work);
        Files.createDirectories(work);
        E2eHost host = new E2eHost(root, work, "volant-e2e-" + id, freePort(), reports, extraEnv);
        Files.createDirectories(host.runDir);
        Files.createDirectories(host.dataDir);
        Files.createDirectories(host.logDir);
        host.must(Cmd.run(Duration.ofSeconds(30), "ip", "netns", "add", host.netns));
        host.netnsCreated = true;
        host.must(Cmd.run(Duration.ofSeconds(30), "ip", "netns", "exec", host.netns, "ip", "link", "set", "lo", "up"));
        return host;
    }

    // ---- processes -------------------------------------------------------------------------------------------

    Volantd volantd() {
        return volantd;
    }

    Cmd.Result volar(String... args) {
        List<String> argv = new ArrayList<>(List.of(root.resolve("bin/volar").toString(), "--api", api));
        argv.addAll(List.of(args));
        return Cmd.run(COMMAND_TIMEOUT, Map.of(), argv);
    }

    /** volar, which must succeed; returns its stdout. */
    String volarOk(String... args) {
        return must(volar(args)).out();
    }

    Cmd.Result fledge(String... args) {
        List<String> argv = new ArrayList<>(List.of(root.resolve("bin/fledge").toString()));
        argv.addAll(List.of(args));
        return Cmd.run(COMMAND_TIMEOUT, Map.of(), argv);
    }

    /** fledge build of the httpd example into {@code <work>/plugins/httpd.cpio.gz} (and its manifest); returns that dir. */
    Path buildHttpdExample() throws IOException {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        must(fledge("build", "-c", root.resolve("examples/initramfs-httpd/fledge.toml").toString(),
                "-o", plugins.resolve("httpd.cpio.gz").toString()));
        return plugins;
    }

    Cmd.Result must(Cmd.Result r) {
        if (!r.ok()) {
            throw new AssertionError("command failed: " + r.describe());
        }
        return r;
    }

    /** GET http://<ip><path> from inside the namespace; "" when the guest does not answer. */
    String curlInNetns(String ip, String path) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "ip", "netns", "exec", netns, "curl", "-s", "-m", "10",
                "http://" + ip + path);
        return r.ok() ? r.out() : "";
    }

    /** The links of the namespace, one per line ({@code ip -o link}). */
    String links() {
        return must(Cmd.run(Duration.ofSeconds(30), "ip", "netns", "exec", netns, "ip", "-o", "link")).out();
    }

    /** IP leases not back in the pool, read from volantd's SQLite file (read-only). */
    int leasedAddresses() {
        Cmd.Result r = must(Cmd.run(Duration.ofSeconds(30), "sqlite3", "-readonly", db.toString(),
                "SELECT count(*) FROM ip_allocations WHERE status <> 'available';"));
        return Integer.parseInt(r.out().strip());
    }

    /** PIDs of QEMU processes whose command line mentions this run's runtime dir: only ours can. */
    List<Long> qemuPids() {
        String marker = runDir + "/";
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cmdline = cmdline(p.pid());
            if (cmdline.contains("qemu") && cmdline.contains(marker)) {
                pids.add(p.pid());
            }
        });
        return pids;
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    // ---- API reads ---------------------------------------------------------------------------------------------

    record Http(int status, String body) {}

    Http get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + path))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Http(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean apiUp() {
        return get("/healthz").status() == 200;
    }

    JsonNode getJson(String path) {
        Http r = get(path);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " → " + r.status() + " " + r.body());
        }
        return parse(r.body());
    }

    JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    JsonNode vm(String name) {
        return getJson("/api/v1/vms/" + name);
    }

    /** name → VM object, sorted by name. */
    Map<String, JsonNode> vms() {
        Map<String, JsonNode> out = new TreeMap<>();
        getJson("/api/v1/vms?limit=1000").forEach(v -> out.put(v.path("name").asText(), v));
        return out;
    }

    JsonNode deployment(String name) {
        return getJson("/api/v1/deployments/" + name);
    }

    // ---- files -----------------------------------------------------------------------------------------------

    /** Every file (not directory) under {@code dir}, relative, sorted; sockets included. */
    static List<String> filesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isSocket(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /** The last {@code lines} lines of every VM console log, every hypervisor log and volantd's log. */
    String diagnostics(int lines) {
        StringBuilder b = new StringBuilder();
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> s = Files.isDirectory(logDir) ? Files.list(logDir) : Stream.empty()) {
            s.sorted(Comparator.comparing(Path::toString)).forEach(logs::add);
        } catch (IOException e) {
            b.append("(cannot list ").append(logDir).append(": ").append(e).append(")\n");
        }
        for (Path log : logs) {
            b.append("\n----- tail of ").append(log).append(" -----\n").append(tail(log, lines));
        }
        b.append("\n----- tail of volantd log ").append(volantd.log()).append(" -----\n").append(tail(volantd.log(), lines));
        return b.toString();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(unreadable: " + e + ")\n";
        }
    }

    // ---- teardown --------------------------------------------------------------------------------------------

    /**
     * Best effort, in order: delete what the API still lists, stop volantd (SIGTERM), kill QEMU processes of this
     * run that survived (by PID), keep the logs under target/, delete the namespace and the work dir.
     */
    @Override
    public void close() throws Exception {
        try {
            if (volantd.alive() && apiUp()) {
                volar("deployments", "delete", "web");
                for (String name : vms().keySet()) {
                    volar("vms", "delete", name);
                }
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("e2e teardown: cleanup through the API failed: " + e);
        } finally {
            volantd.stop(Duration.ofSeconds(60));
            for (long pid : qemuPids()) {
                System.err.println("e2e teardown: killing leftover QEMU pid " + pid + ": " + cmdline(pid));
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            keepLogs();
            if (netnsCreated) {
                Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "ip", "netns", "del", netns);
                if (!r.ok()) {
                    System.err.println("e2e teardown: " + r.describe());
                }
            }
            deleteTree(work);
        }
    }

    private void keepLogs() {
        try {
            Path dst = reports;
            deleteTree(dst);
            Files.createDirectories(dst.resolve("logs"));
            if (Files.exists(volantd.log())) {
                Files.copy(volantd.log(), dst.resolve("volantd.log"));
            }
            for (String f : filesUnder(logDir)) {
                Files.copy(logDir.resolve(f), dst.resolve("logs").resolve(f.replace('/', '_')));
            }
        } catch (IOException e) {
            System.err.println("e2e teardown: cannot keep logs: " + e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + p + " (run scripts/fetch-kernel.sh)", e);
        }
    }
}
