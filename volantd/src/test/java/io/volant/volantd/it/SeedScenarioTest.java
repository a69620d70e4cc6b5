package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The published Deployments guide, literally, through the HTTP API of a real volantd (simulated backend). */
class SeedScenarioTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    static TreeSet<String> members(Api api, String deployment) {
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode vm : api.get("/api/v1/vms").json()) {
            if (deployment.equals(vm.path("deployment").asText())) {
                names.add(vm.path("name").asText());
            }
        }
        return names;
    }

    @Test
    void deployment_scales_heals_and_deletes_without_leftovers() throws Exception {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);

        var created = api.post("/api/v1/deployments",
                "{\"name\":\"web\",\"replicas\":3,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":512}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("desired_replicas").asInt()).isEqualTo(3);
        assertThat(members(api, "web")).containsExactly("web-1", "web-2", "web-3");
        JsonNode web1 = api.get("/api/v1/vms/web-1").json();
        assertThat(web1.path("cpu_cores").asInt()).isEqualTo(2);
        assertThat(web1.path("memory_mb").asInt()).isEqualTo(512);
        assertThat(web1.path("status").asText()).isEqualTo("running");

        var scaled = api.patch("/api/v1/deployments/web", "{\"replicas\":5}");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        assertThat(scaled.json().path("desired_replicas").asInt()).isEqualTo(5);
        assertThat(members(api, "web")).containsExactly("web-1", "web-2", "web-3", "web-4", "web-5");

        long idBefore = api.get("/api/v1/vms/web-2").json().path("id").asLong();
        assertThat(api.delete("/api/v1/vms/web-2").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            var again = api.get("/api/v1/vms/web-2");
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().path("id").asLong()).isNotEqualTo(idBefore);
            assertThat(again.json().path("status").asText()).isEqualTo("running");
        });
        assertThat(members(api, "web")).hasSize(5);

        var down = api.patch("/api/v1/deployments/web", "{\"replicas\":2}");
        assertThat(down.status()).isEqualTo(200);
        assertThat(members(api, "web")).containsExactly("web-1", "web-2");
        for (String gone : List.of("web-3", "web-4", "web-5")) {
            assertThat(api.get("/api/v1/vms/" + gone).status()).isEqualTo(404);
        }

        assertThat(api.delete("/api/v1/deployments/web").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/deployments/web").status()).isEqualTo(404);
        assertThat(members(api, "web")).isEmpty();
        assertThat(api.get("/api/v1/vms").json()).isEmpty();
        Path db = volantd.dir().resolve("state.db");
        assertThat(Db.count(db, "SELECT count(*) FROM vm_groups")).isZero();
        assertThat(Db.count(db, "SELECT count(*) FROM ip_allocations WHERE status <> 'available' OR vm_id IS NOT NULL")).isZero();
        assertThat(seedFiles()).isEmpty();
    }

    private List<Path> seedFiles() throws Exception {
        Path run = volantd.dir().resolve("run");
        if (!Files.exists(run)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(run)) {
            return walk.filter(p -> p.getFileName().toString().endsWith("-seed.img")).toList();
        }
    }
}
