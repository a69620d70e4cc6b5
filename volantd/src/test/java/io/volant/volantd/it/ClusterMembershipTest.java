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
    private static final Duration CONVERGE = ClusterNodes.CONVERGE;
    private static final String[] NAMES = ClusterNodes.NAMES;
    private static final String LEADER = "/volant/cluster/leader";

    @TempDir
    Path dir;
    private ClusterNodes cluster;
    private ChildVolantd[] nodes;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodes_see_each_other_lose_a_killed_node_take_it_back_and_survive_the_etcd_leader_dying() throws Exception {
        cluster = ClusterNodes.start(dir, 3);
        nodes = cluster.nodes;
        EtcdCluster etcd = cluster.etcd;
        JsonNode n1 = view(0).get("n1");
        assertThat(n1.path("url").asText()).isEqualTo(cluster.url(0));
        assertThat(n1.path("labels").path("zone").asText()).isEqualTo("z1");
        assertThat(n1.path("capacity").path("backend").asText()).isEqualTo("simulated");
        assertThat(n1.path("capacity").path("cpus").asInt()).isPositive();
        assertThat(n1.path("capacity").path("free_addresses").asInt()).isPositive();
        // Each node took its own /24 of the cluster's guest range (stored in etcd), so guest IPs are unique.
        java.util.Set<String> subnets = new java.util.TreeSet<>();
        view(0).values().forEach(n -> subnets.add(n.path("subnet").asText()));
        assertThat(subnets).hasSize(3).allMatch(s -> s.startsWith("10.210.") && s.endsWith(".0/24"));

        // Draining on one node is seen by every node; undoing it too; an unknown node is a 404.
        Api n1api = cluster.api(0);
        assertThat(n1api.post("/api/v1/nodes/n3/drain", "").json().path("schedulable").asBoolean()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(view(i).get("n3").path("schedulable").asBoolean()).as("view of %s", NAMES[i]).isFalse();
        }
        assertThat(cluster.api(2).delete("/api/v1/nodes/n3/drain").json()
                .path("schedulable").asBoolean()).isTrue();
        assertThat(view(0).get("n3").path("schedulable").asBoolean()).isTrue();
        Api.Resp unknown = n1api.post("/api/v1/nodes/zz/drain", "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("node zz not found");

        nodes[1].kill(); // SIGKILL: no deregistration, the lease has to run out
        awaitView(0, Map.of("n1", "ready", "n2", "down", "n3", "ready"));
        awaitView(2, Map.of("n1", "ready", "n2", "down", "n3", "ready"));

        String n2subnet = view(0).get("n2").path("subnet").asText();
        cluster.spawn(1);
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
        cluster.spawn(leader);
        awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));

        // A node frozen past its TTL loses its lease; thawed, its next beat finds the lease gone and registers again.
        ClusterNodes.signal("STOP", nodes[2].pid());
        try {
            awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "down"));
        } finally {
            ClusterNodes.signal("CONT", nodes[2].pid());
        }
        awaitView(0, Map.of("n1", "ready", "n2", "ready", "n3", "ready"));
        assertThat(nodes[2].output()).anyMatch(l -> l.contains("membership lease lost, registering again"));

        int etcdLeader = cluster.awaitEtcdLeader();
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

    private Map<String, JsonNode> view(int i) {
        return cluster.view(i);
    }

    private void awaitView(int i, Map<String, String> expected) {
        cluster.awaitView(i, expected);
    }
}
