package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The API-facing acceptance lines of control-plane.md §10.2 and host-runtime.md §10 (simulated backend). */
class ControlPlaneAcceptanceTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private Api started() {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        return api;
    }

    private List<Path> runtimeFiles() throws Exception {
        Path run = volantd.dir().resolve("run");
        if (!Files.exists(run)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(run)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void ac_c1_vsock_and_dhcp_vms_have_no_host_ip_and_consecutive_cids() {
        Api api = started();
        for (String[] vm : new String[][] {{"v1", "vsock"}, {"v2", "vsock"}, {"v3", "dhcp"}}) {
            var r = api.post("/api/v1/vms", "{\"name\":\"" + vm[0] + "\",\"plugin\":\"caddy\",\"config\":{\"network\":{\"mode\":\"" + vm[1] + "\"}}}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().path("ip_address").asText("missing")).isEmpty();
        }
        assertThat(api.get("/api/v1/vms?sort=name").json()).extracting(n -> n.path("vsock_cid").asInt()).containsExactly(3, 4, 5);
        Path db = volantd.dir().resolve("state.db");
        assertThat(Db.count(db, "SELECT count(*) FROM vms WHERE ip_address IS NULL")).isEqualTo(3);
    }

    @Test
    void ac_c2_invalid_names_leave_no_row_and_no_file() throws Exception {
        Api api = started();
        for (String name : List.of("../x", "Web", "a_b", "a".repeat(64))) {
            assertThat(api.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"plugin\":\"caddy\"}").status()).isEqualTo(400);
        }
        assertThat(api.get("/api/v1/vms").json()).isEmpty();
        assertThat(runtimeFiles()).isEmpty();
    }

    @Test
    void ac_c11_standalone_replica_names_are_skipped_then_reserved() {
        Api api = started();
        assertThat(api.post("/api/v1/vms", "{\"name\":\"demo-2\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/deployments", "{\"name\":\"demo\",\"replicas\":2,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}").status()).isEqualTo(201);
        assertThat(SeedScenarioTest.members(api, "demo")).containsExactly("demo-1", "demo-3");
        var reserved = api.post("/api/v1/vms", "{\"name\":\"demo-4\",\"plugin\":\"caddy\"}");
        assertThat(reserved.status()).isEqualTo(409);
        assertThat(reserved.error()).isEqualTo("orchestrator: vm name demo-4 is reserved by deployment demo");
    }

    @Test
    void ac_c12_disable_and_remove_apply_at_once_and_show_in_the_summary() {
        Api api = started();
        api.post("/api/v1/plugins/caddy/enabled", "{\"enabled\":false}");
        assertThat(api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}").status()).isEqualTo(409);
        JsonNode summary = api.get("/api/v1/system/summary").json();
        assertThat(summary.path("total_plugins").asInt()).isEqualTo(1);
        assertThat(summary.path("enabled_plugins").asInt()).isZero();
        api.delete("/api/v1/plugins/caddy");
        assertThat(api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/system/summary").json().path("total_plugins").asInt()).isZero();
        assertThat(api.get("/api/v1/system/summary").json().path("plugins").isArray()).isTrue();
    }

    @Test
    void ac_c13_network_patches_and_clearing_an_override() {
        Api api = started();
        api.post("/api/v1/vms", "{\"name\":\"vs\",\"plugin\":\"caddy\",\"config\":{\"network\":{\"mode\":\"vsock\"}}}");
        api.post("/api/v1/vms", "{\"name\":\"br\",\"plugin\":\"caddy\"}");
        int version = api.get("/api/v1/vms/vs/config").json().path("version").asInt();
        var dhcp = api.patch("/api/v1/vms/vs/config", "{\"network\":{\"mode\":\"dhcp\"}}");
        assertThat(dhcp.status()).as(dhcp.body()).isEqualTo(200);
        assertThat(dhcp.json().path("version").asInt()).isEqualTo(version + 1);
        assertThat(api.patch("/api/v1/vms/br/config", "{\"network\":{\"mode\":\"vsock\"}}").status()).isEqualTo(409);
        api.patch("/api/v1/vms/br/config", "{\"devices\":{\"pci_passthrough\":[\"0000:01:00.0\"]}}");
        var cleared = api.patch("/api/v1/vms/br/config", "{\"devices\":null}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().path("config").has("devices")).isFalse();
    }

    @Test
    void ac_c15_inline_user_data_gets_a_nocloud_seed_that_goes_with_the_vm() throws Exception {
        Api api = started();
        var r = api.post("/api/v1/vms", "{\"name\":\"ci\",\"plugin\":\"caddy\",\"config\":{\"cloud_init\":{\"user_data\":{\"inline\":true,\"content\":\"#cloud-config\\n\"}}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(api.get("/api/v1/vms/ci/config").json().path("config").path("cloud_init").path("datasource").asText()).isEqualTo("NoCloud");
        assertThat(runtimeFiles()).anyMatch(p -> p.getFileName().toString().equals("ci-seed.img"));
        assertThat(api.delete("/api/v1/vms/ci").status()).isEqualTo(204);
        assertThat(runtimeFiles()).noneMatch(p -> p.getFileName().toString().equals("ci-seed.img"));
    }

    @Test
    void ac_c18_readiness_follows_agent_health() {
        Api api = started();
        api.post("/api/v1/deployments", "{\"name\":\"h\",\"replicas\":1,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/v1/deployments/h").json().path("ready_replicas").asInt()).isEqualTo(1));
        assertThat(api.put("/api/v1/simulated/vms/h-1/health", "{\"healthy\":false,\"status\":503}").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/vms/h-1").json().path("status").asText()).isEqualTo("running");
            assertThat(api.get("/api/v1/deployments/h").json().path("ready_replicas").asInt()).isZero();
        });
        assertThat(api.get("/api/v1/vms/h-1/agent/healthz").status()).isEqualTo(503);
        api.put("/api/v1/simulated/vms/h-1/health", "{\"healthy\":true}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/v1/deployments/h").json().path("ready_replicas").asInt()).isEqualTo(1));
        assertThat(api.put("/api/v1/simulated/vms/h-1/health", "{}").error()).isEqualTo("healthy is required");
    }

    @Test
    void ac_z2_z3_simulated_vms_get_leases_and_exit_on_request() {
        Api api = started();
        JsonNode a = api.post("/api/v1/vms", "{\"name\":\"a\",\"plugin\":\"caddy\"}").json();
        JsonNode b = api.post("/api/v1/vms", "{\"name\":\"b\",\"plugin\":\"caddy\"}").json();
        assertThat(a.path("pid").asLong()).isGreaterThanOrEqualTo(4194305L);
        assertThat(a.path("ip_address").asText()).isEqualTo("192.168.127.2");
        assertThat(b.path("ip_address").asText()).isEqualTo("192.168.127.3");
        assertThat(b.path("vsock_cid").asInt()).isEqualTo(a.path("vsock_cid").asInt() + 1);
        assertThat(api.post("/api/v1/simulated/vms/a/exit", "{\"code\":1}").status()).isEqualTo(204);
        assertThat(api.post("/api/v1/simulated/vms/b/exit", "{}").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/vms/a").json().path("status").asText()).isEqualTo("crashed");
            assertThat(api.get("/api/v1/vms/b").json().path("status").asText()).isEqualTo("stopped");
        });
        assertThat(api.post("/api/v1/simulated/vms/a/exit", "{}").status()).isEqualTo(409);
        assertThat(api.post("/api/v1/simulated/vms/nope/exit", "{}").status()).isEqualTo(404);
    }

    @Test
    void ac_z5_a_failed_launch_is_rolled_back_and_the_next_create_succeeds() {
        Api api = started();
        assertThat(api.post("/api/v1/simulated/launch-failures", "{}").error()).isEqualTo("count is required");
        assertThat(api.post("/api/v1/simulated/launch-failures", "{\"count\":1}").status()).isEqualTo(204);
        var failed = api.post("/api/v1/vms", "{\"name\":\"f\",\"plugin\":\"caddy\"}");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.error()).contains("simulated: launch failed");
        assertThat(api.get("/api/v1/vms/f").status()).isEqualTo(404);
        Path db = volantd.dir().resolve("state.db");
        assertThat(Db.count(db, "SELECT count(*) FROM ip_allocations WHERE status = 'leased'")).isZero();
        assertThat(api.post("/api/v1/vms", "{\"name\":\"f\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
    }

    @Test
    void ac_z6_running_rows_are_crashed_after_a_kill_and_restart() {
        Api api = started();
        api.post("/api/v1/vms", "{\"name\":\"k\",\"plugin\":\"caddy\"}");
        volantd.kill();
        Api again = volantd.start();
        JsonNode vm = again.get("/api/v1/vms/k").json();
        assertThat(vm.path("status").asText()).isEqualTo("crashed");
        assertThat(vm.has("pid")).isFalse();
    }

    @Test
    void ac_c16_patch_with_a_new_config_rolls_the_deployment_to_a_new_revision() {
        Api api = started();
        api.post("/api/v1/deployments", "{\"name\":\"r\",\"replicas\":2,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}");
        var bad = api.patch("/api/v1/deployments/r", "{\"strategy\":{\"max_surge\":0,\"max_unavailable\":0}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("strategy: max_surge and max_unavailable cannot both be 0");
        var updated = api.patch("/api/v1/deployments/r", "{\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":256}}}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("revision").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode d = api.get("/api/v1/deployments/r").json();
            assertThat(d.path("updated_replicas").asInt()).isEqualTo(2);
            assertThat(d.path("rollout").path("status").asText()).isEqualTo("complete");
            assertThat(SeedScenarioTest.members(api, "r")).hasSize(2);
            for (String m : SeedScenarioTest.members(api, "r")) {
                assertThat(api.get("/api/v1/vms/" + m).json().path("cpu_cores").asInt()).isEqualTo(2);
            }
        });
    }
}
