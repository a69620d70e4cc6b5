package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Published ports through a real volantd over HTTP (simulated backend, agent health from the simulated stub): the
 * expose routes, their errors, the served OpenAPI document, cleanup with the owner, and a restart.
 */
class PublishApiTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static final String CONFIG = "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}";

    private Api started() {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":2,\"config\":" + CONFIG + "}")
                .status()).isEqualTo(201);
        assertThat(api.post("/api/v1/vms", "{\"name\":\"solo\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
        return api;
    }

    private static JsonNode published(Api api, String key) {
        for (JsonNode p : api.get("/api/v1/published").json()) {
            if ((p.path("protocol").asText() + "/" + p.path("host_port").asInt()).equals(key)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void a_deployment_port_is_published_to_its_ready_replicas_and_withdrawn() {
        Api api = started();
        var r = api.post("/api/v1/deployments/web/expose", "{\"host_port\":8080,\"port\":80}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).hasSize(1);
        assertThat(r.json().get(0).path("kind").asText()).isEqualTo("deployment");
        assertThat(r.json().get(0).path("protocol").asText()).isEqualTo("tcp");

        await().atMost(Duration.ofSeconds(60)).until(() -> published(api, "tcp/8080").path("state").asText()
                .equals("active"));
        JsonNode p = published(api, "tcp/8080");
        assertThat(p.path("owner").asText()).isEqualTo("web");
        assertThat(p.path("port").asInt()).isEqualTo(80);
        assertThat(p.path("backends").findValuesAsText("vm")).containsExactly("web-1", "web-2");
        JsonNode d = api.get("/api/v1/deployments/web").json();
        assertThat(d.path("revision").asInt()).isEqualTo(1);
        assertThat(d.path("config").path("expose").get(0).path("host_port").asInt()).isEqualTo(8080);
        assertThat(api.get("/api/v1/deployments/web/expose").json()).hasSize(1);

        var gone = api.delete("/api/v1/deployments/web/expose/8080");
        assertThat(gone.status()).as(gone.body()).isEqualTo(200);
        assertThat(gone.json()).isEmpty();
        assertThat(api.get("/api/v1/published").json()).isEmpty();
    }

    @Test
    void bad_input_is_a_400_naming_the_field_and_conflicts_are_409s_naming_the_owner() {
        Api api = started();
        assertThat(api.post("/api/v1/vms/solo/expose", "{\"host_port\":\"x\",\"port\":80}").error())
                .isEqualTo("invalid value for host_port");
        assertThat(api.post("/api/v1/vms/solo/expose", "{\"host_port\":8080}").error()).isEqualTo("port is required");
        var range = api.post("/api/v1/vms/solo/expose", "{\"host_port\":70000,\"port\":80}");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.error()).isEqualTo("host_port must be between 1 and 65535, got 70000");
        assertThat(api.post("/api/v1/vms/solo/expose", "{\"host_port\":8080,\"port\":80,\"protocol\":\"sctp\"}")
                .error()).isEqualTo("protocol must be tcp or udp, got \"sctp\"");
        assertThat(api.delete("/api/v1/vms/solo/expose/abc").error())
                .isEqualTo("host_port must be a number, got \"abc\"");

        assertThat(api.post("/api/v1/vms/solo/expose", "{\"host_port\":8080,\"port\":80,\"protocol\":\"udp\"}")
                .status()).isEqualTo(200);
        var dup = api.post("/api/v1/vms/solo/expose", "{\"host_port\":8080,\"port\":81,\"protocol\":\"udp\"}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.error()).isEqualTo("host_port udp/8080 is already published by vm solo");
        var taken = api.post("/api/v1/deployments/web/expose", "{\"host_port\":8080,\"port\":80,\"protocol\":\"udp\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.error()).isEqualTo("host port udp/8080 is already published by vm solo");

        assertThat(api.post("/api/v1/deployments/nope/expose", "{\"host_port\":1,\"port\":1}").status())
                .isEqualTo(404);
        var none = api.delete("/api/v1/deployments/web/expose/8080?protocol=udp");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.error()).isEqualTo("deployment web does not publish host port udp/8080");
        assertThat(api.post("/api/v1/vms/web-1/expose", "{\"host_port\":9000,\"port\":80}").status()).isEqualTo(400);
    }

    @Test
    void no_publication_outlives_its_owner_and_a_restart_rebuilds_them_from_the_database() {
        Api api = started();
        api.post("/api/v1/deployments/web/expose", "{\"host_port\":8080,\"port\":80}");
        api.post("/api/v1/vms/solo/expose", "{\"host_port\":5353,\"port\":53,\"protocol\":\"udp\"}");
        assertThat(api.get("/api/v1/published").json()).hasSize(2);

        Api again = volantd.restart();
        assertThat(again.get("/api/v1/published").json().findValuesAsText("owner")).containsExactly("solo", "web");

        assertThat(again.delete("/api/v1/deployments/web").status()).isEqualTo(204);
        assertThat(again.delete("/api/v1/vms/solo").status()).isIn(200, 204);
        await().atMost(Duration.ofSeconds(30)).until(() -> again.get("/api/v1/published").json().isEmpty());
    }

    @Test
    void the_served_openapi_document_lists_the_publish_routes() {
        Api api = volantd.start();
        JsonNode paths = api.get("/openapi").json().path("paths");
        assertThat(paths.has("/api/v1/published")).isTrue();
        assertThat(paths.path("/api/v1/deployments/{name}/expose").has("post")).isTrue();
        assertThat(paths.path("/api/v1/vms/{name}/expose/{host_port}").has("delete")).isTrue();
    }
}
