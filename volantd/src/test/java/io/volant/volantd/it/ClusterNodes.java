package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.testing.EtcdCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real 3-member etcd cluster and three volantd processes in cluster mode (simulated backend, labels
 * {@code zone=z1..z3}) for the cluster integration tests (docs/cluster.md). Closing stops everything.
 */
final class ClusterNodes implements AutoCloseable {
    static final Duration CONVERGE = Duration.ofSeconds(90);
    static final String[] NAMES = {"n1", "n2", "n3"};
    static final Map<String, String> ALL_READY = Map.of("n1", "ready", "n2", "ready", "n3", "ready");

    final EtcdCluster etcd;
    final ChildVolantd[] nodes = new ChildVolantd[3];
    private final int[] ports = new int[3];
    private final Path dir;
    private final int ttlSeconds;

    private ClusterNodes(Path dir, EtcdCluster etcd, int ttlSeconds) {
        this.dir = dir;
        this.etcd = etcd;
        this.ttlSeconds = ttlSeconds;
    }

    /**
     * Starts etcd and the three nodes with a membership lease of {@code ttlSeconds}, and waits until every node
     * lists all three ready.
     */
    static ClusterNodes start(Path dir, int ttlSeconds) throws IOException {
        ClusterNodes c = new ClusterNodes(dir, EtcdCluster.start(dir, 3), ttlSeconds);
        try {
            for (int i = 0; i < 3; i++) {
                c.ports[i] = freePort();
                c.spawn(i);
            }
            for (int i = 0; i < 3; i++) {
                c.awaitView(i, ALL_READY);
            }
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    int port(int i) {
        return ports[i];
    }

    Api api(int i) {
        return new Api(url(i));
    }

    String url(int i) {
        return "http://127.0.0.1:" + ports[i];
    }

    /** (Re)starts node {@code i} on its own state directory and port. */
    ChildVolantd spawn(int i) throws IOException {
        Path home = dir.resolve(NAMES[i]);
        Map<String, String> env = new HashMap<>();
        env.put("VOLANT_DB_PATH", home.resolve("state.db").toString());
        env.put("VOLANT_DATA_DIR", home.toString());
        env.put("VOLANT_RUNTIME_DIR", home.resolve("run").toString());
        env.put("VOLANT_LOG_DIR", home.resolve("logs").toString());
        env.put("VOLANT_RUNTIME_BACKEND", "simulated");
        env.put("VOLANT_API_LISTEN", "127.0.0.1:" + ports[i]);
        env.put("VOLANT_CLUSTER_ETCD", String.join(",", etcd.clientUrls()));
        env.put("VOLANT_NODE_NAME", NAMES[i]);
        env.put("VOLANT_NODE_URL", url(i));
        env.put("VOLANT_NODE_LABELS", "zone=z" + (i + 1));
        env.put("VOLANT_CLUSTER_LEASE_SECONDS", Integer.toString(ttlSeconds));
        nodes[i] = ChildVolantd.spawn(env);
        return nodes[i];
    }

    /** Node name → its JSON as node {@code i} lists it; empty while that node does not answer. */
    Map<String, JsonNode> view(int i) {
        Map<String, JsonNode> out = new TreeMap<>();
        try {
            Api.Resp r = api(i).get("/api/v1/nodes");
            if (r.status() == 200) {
                r.json().path("nodes").forEach(n -> out.put(n.path("name").asText(), n));
            }
        } catch (RuntimeException e) {
            // not listening yet
        }
        return out;
    }

    void awaitView(int i, Map<String, String> expected) {
        await("node " + NAMES[i] + " lists " + expected).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Map<String, String> states = new TreeMap<>();
                    view(i).forEach((name, n) -> states.put(name, n.path("state").asText()));
                    assertThat(states).as("view of %s; its output:%n%s", NAMES[i], output(i)).isEqualTo(new TreeMap<>(expected));
                });
    }

    String output(int i) {
        return nodes[i] == null ? "" : String.join("\n", nodes[i].output());
    }

    int awaitEtcdLeader() {
        int[] leader = {-1};
        await("etcd leader").atMost(CONVERGE).until(() -> (leader[0] = etcd.leader()) >= 0);
        return leader[0];
    }

    static void signal(String name, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops everything; each node's output is kept in {@code target/cluster-logs/<node>.log} for a failure's reader. */
    @Override
    public void close() {
        for (int i = 0; i < 3; i++) {
            ChildVolantd n = nodes[i];
            if (n != null) {
                try {
                    Path logs = java.nio.file.Files.createDirectories(Path.of("target", "cluster-logs"));
                    java.nio.file.Files.writeString(logs.resolve(NAMES[i] + ".log"), output(i));
                } catch (IOException e) {
                    // only a diagnostic
                }
                try {
                    n.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        etcd.close();
    }
}
