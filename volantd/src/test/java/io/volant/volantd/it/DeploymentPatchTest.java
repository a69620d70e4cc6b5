package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PATCH /api/v1/deployments/{name} with EXTENSION A members (api-and-cli.md §2.4, control-plane.md §3.9). */
class DeploymentPatchTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static final String CONFIG = "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}";

    @Test
    void patch_with_only_config_rolls_out_a_new_revision_and_keeps_the_replica_count() {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":2,\"config\":" + CONFIG + "}").status())
                .isEqualTo(201);

        var patched = api.patch("/api/v1/deployments/web",
                "{\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":256}}}");

        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("revision").asInt()).isEqualTo(2);
        assertThat(patched.json().path("desired_replicas").asInt()).isEqualTo(2);
        assertThat(patched.json().path("config").path("resources").path("memory_mb").asInt()).isEqualTo(256);
    }

    @Test
    void patch_with_the_same_config_changes_nothing() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":1,\"config\":" + CONFIG + "}");

        var patched = api.patch("/api/v1/deployments/web", "{\"config\":" + CONFIG + "}");

        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("revision").asInt()).isEqualTo(1);
    }

    @Test
    void patch_with_no_member_is_rejected_naming_replicas() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":1,\"config\":" + CONFIG + "}");

        var r = api.patch("/api/v1/deployments/web", "{\"config\":null}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("replicas is required");
    }
}
