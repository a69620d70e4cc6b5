package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.testing.EtcdCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster membership end to end (docs/cluster.md): a real 3-member etcd cluster and three volantd processes
 * (simulated backend) that see each other through {@code GET /api/v1/nodes}, notice a SIGKILLed node once its lease
 * expires, take it back when it restarts, see a frozen node re-register after losing its lease, and keep going when
 * the etcd leader is SIGKILLed; the scheduler leader's SIGKILL moves leadership; a node drained through one node's API is unschedulable in every node's view.
 */
class ClusterMembershipTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    private static final String[] NAMES = {"n1", "n2", "n3"};
    private static final String LEADER = "/volant/cluster/leader";

    @TempDir
    Path dir;
    private EtcdCluster etcd;
    private final ChildVolantd[] nodes = new ChildVolantd[3];
    private final int[] ports = new int[3];

    @AfterEach
    void stop() throws InterruptedException {
        for (ChildVolantd n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void nodes_see_each_other_lose_a_killed_node_take_it_back_and_survive_the_etcd_leader_dying() throws Exception {
        etcd = EtcdCluster.start(dir, 3);
        for (int i = 0; i < 3; i++) {
            ports[i] = freePort();
            nodes[i] = spawn(i);
        }
        for (int i = 0; i < 3; i++) {
            awaitView(i, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));
        }
        JsonNode n1 = view(0).get("n1");
        assertThat(n1.path("url").asText()).isEqualTo("http://127.0.0.1:" + ports[0]);
        assertThat(n1.path("labels").path("zone").asText()).isEqualTo("z1");
        assertThat(n1.path("capacity").path("backend").asText()).isEqualTo("simulated");
        assertThat(n1.path("capacity").path("cpus").asInt()).isPositive();
        assertThat(n1.path("capacity").path("free_addresses").asInt()).isPositive();
        // Each node took its own /24 of the cluster's guest range (stored in etcd), so guest IPs are unique.
        java.util.Set<String> subnets = new java.util.TreeSet<>();
        view(0).values().forEach(n -> subnets.add(n.path("subnet").asText()));
        assertThat(subnets).hasSize(3).allMatch(s -> s.startsWith("10.210.") && s.endsWith(".0/24"));

        // Draining on one node is seen by every node; undoing it too; an unknown node is a 404.
        Api n1api = new Api("http://127.0.0.1:" + ports[0]);
        assertThat(n1api.post("/api/v1/nodes/n3/drain", "").json().path("schedulable").asBoolean()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(view(i).get("n3").path("schedulable").asBoolean()).as("view of %s", NAMES[i]).isFalse();
        }
        assertThat(new Api("http://127.0.0.1:" + ports[2]).delete("/api/v1/nodes/n3/drain").json()
                .path("schedulable").asBoolean()).isTrue();
        assertThat(view(0).get("n3").path("schedulable").asBoolean()).isTrue();
        Api.Resp unknown = n1api.post("/api/v1/nodes/zz/drain", "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("node zz not found");

        nodes[1].kill(); // SIGKILL: no deregistration, the lease has to run out
        awaitView(0, Map.of("n1", "ready", "n2", "down", "n3", "ready"));
        awaitView(2, Map.of("n1", "ready", "n2", "down", "n3", "ready"));

        String n2subnet = view(0).get("n2").path("subnet").asText();
        nodes[1] = spawn(1);
        awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));
        await("n2 registered by its new process").atMost(CONVERGE)
                .until(() -> nodes[1].output().stream().anyMatch(l -> l.contains("cluster membership registered")));
        assertThat(nodes[1].output()).as("a restarted node finds its own claim").noneMatch(l -> l.contains("guest subnet claimed"));
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(view(1).getOrDefault("n2", Api.JSON.nullNode())
                .path("subnet").asText()).isEqualTo(n2subnet));
        awaitView(1, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));

        // One scheduler leader, elected on etcd; its SIGKILL moves leadership to a live node, and it rejoins.
        String[] holder = {""};
        await("a scheduler leader").atMost(CONVERGE).until(() -> !(holder[0] = etcd.get(LEADER)).isEmpty());
        int leader = java.util.Arrays.asList(NAMES).indexOf(holder[0].substring(0, holder[0].indexOf('/')));
        assertThat(leader).as("leader key %s", holder[0]).isNotNegative();
        nodes[leader].kill();
        await("leadership moves off " + NAMES[leader]).atMost(CONVERGE).until(() -> {
            String h = etcd.get(LEADER);
            return !h.isEmpty() && !h.startsWith(NAMES[leader] + "/");
        });
        nodes[leader] = spawn(leader);
        awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));

        // A node frozen past its TTL loses its lease; thawed, its next beat finds the lease gone and registers again.
        signal("STOP", nodes[2].pid());
        try {
            awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "down"));
        } finally {
            signal("CONT", nodes[2].pid());
        }
        awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));
        assertThat(nodes[2].output()).anyMatch(l -> l.contains("membership lease lost, registering again"));

        int etcdLeader = awaitLeader();
        etcd.kill(etcdLeader);
        for (int i = 0; i < 3; i++) {
            awaitView(i, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));
        }
        // Membership still changes through the surviving quorum: a killed node turns down, a clean stop deregisters.
        nodes[2].kill();
        awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "down"));
        nodes[1].terminate();
        assertThat(nodes[1].waitFor(Duration.ofSeconds(60))).isZero();
        awaitView(0, Map.of("n1", "ready", "n3", "down"));
    }

    private ChildVolantd spawn(int i) throws IOException {
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
        env.put("VOLANT_NODE_URL", "http://127.0.0.1:" + ports[i]);
        env.put("VOLANT_NODE_LABELS", "zone=z" + (i + 1));
        env.put("VOLANT_CLUSTER_LEASE_SECONDS", "3");
        return ChildVolantd.spawn(env);
    }

    /** Node name → its JSON as node {@code i} lists it; empty while that node does not answer. */
    private Map<String, JsonNode> view(int i) {
        Map<String, JsonNode> out = new TreeMap<>();
        try {
            Api.Resp r = new Api("http://127.0.0.1:" + ports[i]).get("/api/v1/nodes");
            if (r.status() == 200) {
                r.json().path("nodes").forEach(n -> out.put(n.path("name").asText(), n));
            }
        } catch (RuntimeException e) {
            // not listening yet
        }
        return out;
    }

    private void awaitView(int i, Map<String, String> expected) {
        await("node " + NAMES[i] + " lists " + expected).atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Map<String, String> states = new TreeMap<>();
                    view(i).forEach((name, n) -> states.put(name, n.path("state").asText()));
                    assertThat(states).as("view of %s; its output:%n%s", NAMES[i],
                            String.join("\n", nodes[i].output())).isEqualTo(new TreeMap<>(expected));
                });
    }

    private int awaitLeader() {
        int[] leader = {-1};
        await("etcd leader").atMost(CONVERGE).until(() -> (leader[0] = etcd.leader()) >= 0);
        return leader[0];
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
