package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.testing.EtcdCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * volar against a cluster (docs/cluster.md): a real etcd and two volantd nodes (simulated backend). Pointed at
 * either node, {@code nodes list}, {@code vms list} (with a NODE column) and {@code deployments get} show the whole
 * cluster.
 */
class ClusterCliTest {
    @TempDir
    Path dir;

    @Test
    void volar_pointed_at_any_node_shows_the_whole_cluster() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(Files.createDirectories(dir.resolve("etcd")), 1);
             RealVolantd n1 = node(etcd, "n1");
             RealVolantd n2 = node(etcd, "n2")) {
            List<Cli> clis = List.of(new Cli().api(n1.base()).cwd(dir), new Cli().api(n2.base()).cwd(dir));
            Files.writeString(dir.resolve("caddy.json"), n1.caddyManifest(dir));
            Files.writeString(dir.resolve("web.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":64}}");
            for (Cli cli : clis) { // plugins are per node
                assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
            }
            await("both nodes ready").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(clis.get(0).run("nodes", "list").outLines()).hasSize(3).allMatch(l -> !l.contains(" down ")));

            Cli.Result created = clis.get(1).run("deployments", "create", "web", "--config", "web.json", "--replicas", "4",
                    "--wait");
            assertThat(created.exit()).as(created.err()).isZero();

            for (Cli cli : clis) {
                await("the whole cluster through " + cli).atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<String> vms = cli.run("vms", "list").outLines();
                    assertThat(vms.getFirst()).matches("NAME +STATUS +NODE +RUNTIME .*");
                    assertThat(vms).hasSize(5);
                    assertThat(vms.subList(1, 5)).allMatch(l -> l.matches("web-\\d +running +n[12] .*"));
                    assertThat(String.join("\n", vms)).contains(" n1 ", " n2 ");
                    assertThat(cli.run("deployments", "get", "web").out())
                            .contains("Replicas: 4/4 ready", "Nodes: n1 (2), n2 (2)");
                });
                List<String> nodes = cli.run("nodes", "list").outLines();
                assertThat(nodes).hasSize(3);
                assertThat(nodes.get(1)).startsWith("n1 ").contains(" ready ");
                assertThat(nodes.get(2)).startsWith("n2 ").contains(" ready ");
            }
        }
    }

    private RealVolantd node(EtcdCluster etcd, String name) throws IOException {
        int port = freePort();
        return new RealVolantd(dir.resolve(name), Map.of(
                "VOLANT_API_LISTEN", "127.0.0.1:" + port,
                "VOLANT_CLUSTER_ETCD", String.join(",", etcd.clientUrls()),
                "VOLANT_NODE_NAME", name,
                "VOLANT_NODE_URL", "http://127.0.0.1:" + port,
                "VOLANT_CLUSTER_LEASE_SECONDS", "3"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
