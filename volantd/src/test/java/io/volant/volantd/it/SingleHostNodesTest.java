package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/nodes} on a single host (no etcd): one ready node, {@code local}, with this host's replicas; VMs
 * and deployments without the cluster's {@code node} and {@code members}.
 */
class SingleHostNodesTest {
    private static final String CONFIG = "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}";

    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    @Test
    void a_single_host_lists_itself_as_local_with_its_running_replicas() {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":2,\"config\":" + CONFIG + "}")
                .status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Api.Resp r = api.get("/api/v1/nodes");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode nodes = r.json().path("nodes");
            assertThat(nodes.size()).isEqualTo(1);
            JsonNode local = nodes.get(0);
            assertThat(local.path("name").asText()).isEqualTo("local");
            assertThat(local.path("state").asText()).isEqualTo("ready");
            assertThat(local.path("capacity").path("backend").asText()).isEqualTo("simulated");
            assertThat(local.path("capacity").path("free_addresses").asInt()).isEqualTo(253 - 2);
            List<String> replicas = new ArrayList<>();
            local.path("replicas").forEach(n -> replicas.add(n.asText()));
            assertThat(replicas).containsExactly("web-1", "web-2");
        });
        // The cluster-mode members (docs/cluster.md) stay out of a single host's answers.
        api.get("/api/v1/vms").json().forEach(vm -> assertThat(vm.has("node")).as("%s", vm).isFalse());
        assertThat(api.get("/api/v1/deployments/web").json().has("members")).isFalse();
    }
}
