package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad requests get a 4xx JSON error naming the field, and leave the database exactly as it was. */
class BadInputTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();
    private Api api;
    private Path db;

    @BeforeEach
    void setUp() {
        api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":1,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}").status()).isEqualTo(201);
        db = volantd.dir().resolve("state.db");
    }

    private void rejected(Api.Resp r, int status, String... mentions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.error()).as(r.toString()).isNotBlank();
        for (String m : mentions) {
            assertThat(r.error()).as(r.toString()).contains(m);
        }
    }

    private void unchanged(Runnable badRequests) {
        List<String> before = Db.snapshot(db);
        badRequests.run();
        assertThat(Db.snapshot(db)).isEqualTo(before);
    }

    @Test
    void malformed_json_is_400_and_changes_nothing() {
        unchanged(() -> {
            rejected(api.post("/api/v1/vms", "{\"name\":"), 400, "invalid JSON body");
            rejected(api.post("/api/v1/deployments", "[1,2"), 400, "invalid JSON body");
            rejected(api.post("/api/v1/plugins", "{not json"), 400);
            rejected(api.patch("/api/v1/deployments/web", "{\"replicas\":"), 400, "invalid JSON body");
            rejected(api.post("/api/v1/vms", ""), 400, "request body required");
            rejected(api.post("/api/v1/vms", "{\"name\":\"a\",\"plugin\":\"caddy\",\"cpu_cores\":\"two\"}"), 400, "cpu_cores");
            rejected(api.patch("/api/v1/deployments/web", "{\"replicas\":\"five\"}"), 400, "replicas");
        });
        // The decoder recovers: the next good request works.
        assertThat(api.patch("/api/v1/deployments/web", "{\"replicas\":1}").status()).isEqualTo(200);
    }

    @Test
    void errors_echo_a_bounded_piece_of_the_input_and_no_decoder_internals() {
        unchanged(() -> {
            String huge = "A".repeat(1024 * 1024);
            var r = api.post("/api/v1/vms", "{\"name\":\"" + huge + "\",\"plugin\":\"caddy\"}");
            rejected(r, 400, "invalid vm name", "must be a lowercase DNS label");
            assertThat(r.body().length()).isLessThan(1024);
            var deep = api.post("/api/v1/vms", "[".repeat(5000) + "]".repeat(5000));
            rejected(deep, 400, "invalid JSON body", "nesting depth");
            assertThat(deep.error()).doesNotContain("StreamReadConstraints").doesNotContain("`");
            var nan = api.post("/api/v1/vms", "{\"name\":\"a\",\"cpu_cores\":NaN}");
            rejected(nan, 400, "invalid JSON body");
            assertThat(nan.error()).doesNotContain("JsonReadFeature").doesNotContain("`");
        });
    }

    @Test
    void unknown_plugin_is_404_naming_it() {
        unchanged(() -> {
            rejected(api.post("/api/v1/vms", "{\"name\":\"web9\",\"plugin\":\"nope\"}"), 404, "plugin nope not found");
            rejected(api.get("/api/v1/plugins/nope"), 404, "plugin not found");
        });
    }

    @Test
    void invalid_vm_and_deployment_names_are_400() {
        String long64 = "a".repeat(64);
        unchanged(() -> {
            rejected(api.post("/api/v1/vms", "{\"name\":\"Web\",\"plugin\":\"caddy\"}"), 400, "invalid vm name \"Web\"");
            rejected(api.post("/api/v1/vms", "{\"name\":\"../x\",\"plugin\":\"caddy\"}"), 400,
                    "orchestrator: invalid vm name \"../x\" (must be a lowercase DNS label)");
            rejected(api.post("/api/v1/vms", "{\"name\":\"a_b\",\"plugin\":\"caddy\"}"), 400, "vm name");
            rejected(api.post("/api/v1/vms", "{\"name\":\"" + long64 + "\",\"plugin\":\"caddy\"}"), 400, "vm name");
            rejected(api.post("/api/v1/vms", "{\"plugin\":\"caddy\"}"), 400, "name is required");
            rejected(api.post("/api/v1/deployments", "{\"name\":\"Bad\",\"replicas\":1,\"config\":{\"plugin\":\"caddy\"}}"), 400, "deployment name");
            rejected(api.post("/api/v1/deployments", "{\"name\":\"" + "d".repeat(53) + "\",\"replicas\":1,\"config\":{\"plugin\":\"caddy\"}}"), 400, "deployment name");
            rejected(api.post("/api/v1/deployments", "{\"replicas\":1,\"config\":{\"plugin\":\"caddy\"}}"), 400, "name is required");
            rejected(api.post("/api/v1/deployments", "{\"name\":\"x\",\"replicas\":1}"), 400, "config is required");
        });
        assertThat(api.get("/api/v1/vms/Web").status()).isEqualTo(404);
    }

    @Test
    void negative_replicas_are_400() {
        unchanged(() -> {
            rejected(api.post("/api/v1/deployments", "{\"name\":\"neg\",\"replicas\":-1,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}"), 400, "replicas");
            rejected(api.patch("/api/v1/deployments/web", "{\"replicas\":-3}"), 400, "replicas must be >= 0");
            rejected(api.patch("/api/v1/deployments/web", "{}"), 400, "replicas is required");
        });
        assertThat(api.get("/api/v1/deployments/web").json().path("desired_replicas").asInt()).isEqualTo(1);
    }

    @Test
    void duplicate_deployment_is_409() {
        unchanged(() -> rejected(api.post("/api/v1/deployments",
                "{\"name\":\"web\",\"replicas\":4,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}"),
                409, "orchestrator: deployment already exists: web"));
        assertThat(api.get("/api/v1/deployments/web").json().path("desired_replicas").asInt()).isEqualTo(1);
    }

    @Test
    void oversized_body_is_413() {
        String big = "{\"name\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}";
        unchanged(() -> rejected(api.post("/api/v1/vms", big), 413, "request body too large"));
    }
}
