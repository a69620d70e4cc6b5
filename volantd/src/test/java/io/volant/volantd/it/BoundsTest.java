package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 16 defect 6: configurable upper bounds, refused with a 400/409 that names the value, limit and variable. */
class BoundsTest {
    private static final String CADDY = "\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}";

    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static void refused(Api.Resp r, int status, String... mentions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        for (String m : mentions) {
            assertThat(r.error()).as(r.toString()).contains(m);
        }
    }

    @Test
    void huge_replicas_cpu_and_memory_are_400_with_the_default_limits() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        List<String> before = Db.snapshot(volantd.dir().resolve("state.db"));
        refused(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":2147483647," + CADDY + "}"), 400,
                "replicas 2147483647", "limit of 256", "VOLANT_MAX_REPLICAS");
        refused(api.post("/api/v1/vms", "{\"name\":\"a\",\"plugin\":\"caddy\",\"cpu_cores\":2147483647}"), 400,
                "cpu_cores 2147483647", "VOLANT_MAX_VM_CPUS");
        refused(api.post("/api/v1/vms", "{\"name\":\"a\",\"plugin\":\"caddy\",\"memory_mb\":2147483647}"), 400,
                "memory_mb 2147483647", "VOLANT_MAX_VM_MEMORY_MB");
        refused(api.post("/api/v1/deployments", "{\"name\":\"big\",\"replicas\":1,\"config\":{\"plugin\":\"caddy\","
                + "\"resources\":{\"cpu_cores\":2147483647,\"memory_mb\":128}}}"), 400, "cpu_cores", "VOLANT_MAX_VM_CPUS");
        assertThat(Db.snapshot(volantd.dir().resolve("state.db"))).isEqualTo(before);
    }

    @Test
    void configured_limits_bound_scale_config_patches_and_the_total() {
        volantd.env("VOLANT_MAX_REPLICAS", "3").env("VOLANT_MAX_VMS", "4").env("VOLANT_MAX_VM_CPUS", "2")
                .env("VOLANT_MAX_VM_MEMORY_MB", "1024");
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":3," + CADDY + "}").status()).isEqualTo(201);
        refused(api.patch("/api/v1/deployments/web", "{\"replicas\":4}"), 400, "replicas 4", "limit of 3");
        refused(api.post("/api/v1/vms", "{\"name\":\"solo\",\"plugin\":\"caddy\",\"cpu_cores\":3}"), 400,
                "cpu_cores 3 exceeds the limit of 2");
        refused(api.post("/api/v1/vms", "{\"name\":\"solo\",\"plugin\":\"caddy\",\"memory_mb\":2048}"), 400,
                "memory_mb 2048 exceeds the limit of 1024");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/vms").json().size() == 3);
        assertThat(api.post("/api/v1/vms", "{\"name\":\"solo\",\"plugin\":\"caddy\",\"cpu_cores\":1,\"memory_mb\":128}")
                .status()).isEqualTo(201);
        refused(api.patch("/api/v1/vms/solo/config", "{\"resources\":{\"cpu_cores\":8}}"), 400, "cpu_cores 8");
        refused(api.post("/api/v1/vms", "{\"name\":\"five\",\"plugin\":\"caddy\",\"cpu_cores\":1,\"memory_mb\":128}"),
                409, "vm limit reached", "limit 4", "VOLANT_MAX_VMS");
        refused(api.post("/api/v1/deployments", "{\"name\":\"more\",\"replicas\":1," + CADDY + "}"), 409,
                "would make 5 VMs", "VOLANT_MAX_VMS");
        // Shrinking always passes, and the room it frees can be used again.
        assertThat(api.patch("/api/v1/deployments/web", "{\"replicas\":2}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/vms").json().size() == 3);
        assertThat(api.patch("/api/v1/deployments/web", "{\"replicas\":3}").status()).isEqualTo(200);
    }
}
