package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The volantd API acceptance lines of api-and-cli.md §7 (AC-A*), against a real volantd (simulated backend). */
class ApiAcceptanceTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static List<String> names(Api.Resp r) {
        List<String> out = new ArrayList<>();
        r.json().forEach(vm -> out.add(vm.path("name").asText()));
        return out;
    }

    @Test
    void ac_a2_to_a4_plugin_install_disable_and_remove() {
        Api api = volantd.start();
        var installed = api.install("example-caddy.manifest.json");
        assertThat(installed.status()).isEqualTo(201);
        assertThat(installed.json().path("name").asText()).isEqualTo("caddy");
        assertThat(api.get("/api/v1/plugins").body()).isEqualTo("{\"plugins\":[\"caddy\"]}");
        assertThat(api.get("/api/v1/plugins/caddy").json().path("enabled").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/plugins/caddy/manifest").json().path("enabled").asBoolean()).isTrue();
        assertThat(api.post("/api/v1/plugins", "{\"version\":\"1\",\"runtime\":\"x\"}").status()).isEqualTo(400);

        assertThat(api.post("/api/v1/plugins/caddy/enabled", "{\"enabled\":false}").status()).isEqualTo(200);
        var disabled = api.get("/api/v1/plugins/caddy/manifest");
        assertThat(disabled.status()).isEqualTo(409);
        assertThat(disabled.error()).isEqualTo("plugin disabled");
        var vm = api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        assertThat(vm.status()).isEqualTo(409);
        assertThat(vm.error()).isEqualTo("plugin caddy disabled");
        assertThat(api.post("/api/v1/plugins/caddy/enabled", "{}").error()).isEqualTo("enabled is required");

        assertThat(api.delete("/api/v1/plugins/caddy").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/plugins/caddy").error()).isEqualTo("plugin not found");
        assertThat(api.delete("/api/v1/plugins/caddy").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/plugins/caddy/enabled", "{\"enabled\":true}").status()).isEqualTo(404);
    }

    @Test
    void ac_a5_a6_vm_create_rules() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        assertThat(api.post("/api/v1/vms", "{\"name\":\"web\"}").error()).isEqualTo("plugin is required");
        assertThat(api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\",\"config\":{\"plugin\":\"nginx\"}}").error())
                .isEqualTo("plugin mismatch between request and config");
        var created = api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\",\"cpu_cores\":2,\"memory_mb\":512}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("runtime").asText()).isEqualTo("caddy");
        assertThat(created.json().path("cpu_cores").asInt()).isEqualTo(2);
        assertThat(created.json().path("memory_mb").asInt()).isEqualTo(512);
        for (String member : List.of("id", "name", "status", "runtime", "ip_address", "mac_address", "cpu_cores",
                "memory_mb", "kernel_cmdline", "serial_socket")) {
            assertThat(created.json().has(member)).as(member).isTrue();
        }
        var again = api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains("vm already exists");
        var defaults = api.post("/api/v1/vms", "{\"name\":\"web2\",\"plugin\":\"caddy\"}").json();
        assertThat(defaults.path("cpu_cores").asInt()).isEqualTo(1);
        assertThat(defaults.path("memory_mb").asInt()).isEqualTo(512);
        assertThat(defaults.path("pid").asLong()).isGreaterThanOrEqualTo(4194305L);
        assertThat(defaults.path("vsock_cid").asLong()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void ac_a7_list_filters_sorts_and_pages() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.install("example-nginx.manifest.json");
        assertThat(api.post("/api/v1/vms", "{\"name\":\"a\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/vms", "{\"name\":\"b\",\"plugin\":\"caddy\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/vms", "{\"name\":\"c\",\"plugin\":\"nginx\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/vms/b/stop", "").status()).isEqualTo(200);
        assertThat(names(api.get("/api/v1/vms?status=running"))).containsExactly("a", "c");
        assertThat(names(api.get("/api/v1/vms?status=running,STOPPED&sort=name&order=desc"))).containsExactly("c", "b", "a");
        var page = api.get("/api/v1/vms?limit=1&offset=1");
        assertThat(names(page)).containsExactly("b");
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(names(api.get("/api/v1/vms?q=NGINX"))).containsExactly("c");
        assertThat(names(api.get("/api/v1/vms?plugin=caddy"))).containsExactly("a", "b");
        assertThat(api.get("/api/v1/vms?limit=-1").error()).isEqualTo("invalid limit");
        assertThat(api.get("/api/v1/vms?offset=x").error()).isEqualTo("invalid offset");
        assertThat(api.get("/api/v1/vms?status=running&runtime=browser&plugin=caddy&q=web&limit=20&offset=0&sort=created_at&order=desc").status()).isEqualTo(200);
    }

    @Test
    void ac_a8_unknown_vm_and_double_start() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        assertThat(api.get("/api/v1/vms/nope").error()).isEqualTo("vm not found");
        assertThat(api.delete("/api/v1/vms/nope").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/vms/nope/start", "").status()).isEqualTo(404);
        api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        var twice = api.post("/api/v1/vms/web/start", "");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.error()).isEqualTo("orchestrator: vm web already running");
    }

    @Test
    void ac_a9_config_versions_and_history() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        JsonNode config = api.get("/api/v1/vms/web/config").json();
        int version = config.path("version").asInt();
        assertThat(config.has("updated_at")).isTrue();
        assertThat(config.path("config").path("plugin").asText()).isEqualTo("caddy");
        var patched = api.patch("/api/v1/vms/web/config", "{\"resources\":{\"cpu_cores\":4}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("version").asInt()).isEqualTo(version + 1);
        assertThat(patched.json().path("config").path("resources").path("cpu_cores").asInt()).isEqualTo(4);
        JsonNode history = api.get("/api/v1/vms/web/config/history").json();
        assertThat(history.get(0).path("version").asInt()).isEqualTo(version + 1);
        assertThat(history.get(0).has("id")).isTrue();
        assertThat(api.get("/api/v1/vms/web/config/history?limit=1").json()).hasSize(1);
        assertThat(api.get("/api/v1/vms/web/config/history?limit=x").error()).isEqualTo("invalid limit");
        var zero = api.patch("/api/v1/vms/web/config", "{\"resources\":{\"cpu_cores\":0}}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.error()).contains("cpu_cores");
        var vfio = api.patch("/api/v1/vms/web/config", "{\"devices\":{\"vfio\":[\"0000:01:00.0\"]}}");
        assertThat(vfio.json().path("config").path("devices").path("pci_passthrough").get(0).asText()).isEqualTo("0000:01:00.0");
    }

    @Test
    void ac_a10_deployment_lifecycle() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        String body = "{\"name\":\"web\",\"replicas\":3,\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":512}}}";
        var created = api.post("/api/v1/deployments", body);
        assertThat(created.status()).isEqualTo(201);
        for (String member : List.of("name", "desired_replicas", "ready_replicas", "config", "created_at", "updated_at")) {
            assertThat(created.json().has(member)).as(member).isTrue();
        }
        assertThat(api.post("/api/v1/deployments", body).status()).isEqualTo(409);
        assertThat(api.patch("/api/v1/deployments/web", "{\"replicas\":5}").json().path("desired_replicas").asInt()).isEqualTo(5);
        assertThat(api.patch("/api/v1/deployments/web", "{}").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/deployments").json().get(0).path("name").asText()).isEqualTo("web");
        assertThat(api.delete("/api/v1/deployments/web").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/deployments/web").error()).contains("deployment not found");
    }

    @Test
    void ac_a11_artifacts() {
        Api api = volantd.start();
        var created = api.post("/api/v1/plugins/caddy/artifacts",
                "{\"version\":\"v1\",\"artifact_name\":\"rootfs\",\"kind\":\"rootfs\",\"format\":\"raw\",\"local_path\":\"/x\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(api.post("/api/v1/plugins/caddy/artifacts", "{\"version\":\" \",\"artifact_name\":\"a\"}").error())
                .isEqualTo("version and artifact_name required");
        assertThat(api.get("/api/v1/plugins/caddy/artifacts/rootfs").error()).isEqualTo("version query required");
        JsonNode artifact = api.get("/api/v1/plugins/caddy/artifacts/rootfs?version=v1").json();
        assertThat(artifact.path("artifact_name").asText()).isEqualTo("rootfs");
        assertThat(artifact.path("plugin_name").asText()).isEqualTo("caddy");
        assertThat(api.get("/api/v1/plugins/caddy/artifacts/nope?version=v1").error()).isEqualTo("artifact not found");
        assertThat(api.delete("/api/v1/plugins/caddy/artifacts?version=v1").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/plugins/caddy/artifacts").body()).isEqualTo("[]");
    }

    @Test
    void ac_a13_to_a15_agent_proxy_actions_and_workload_openapi() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        var health = api.get("/api/v1/vms/web/agent/healthz?api_key=ignored");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        assertThat(health.json().path("workload").path("state").asText()).isEqualTo("running");
        assertThat(api.post("/api/v1/vms/web/actions/caddy/none", "{}").error()).isEqualTo("action none not found");
        assertThat(api.post("/api/v1/plugins/caddy/actions/none", "{}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/vms/web/openapi").error()).isEqualTo("openapi spec unavailable");
        api.post("/api/v1/vms/web/stop", "");
        var stopped = api.get("/api/v1/vms/web/agent/healthz");
        assertThat(stopped.status()).isEqualTo(409);
        assertThat(stopped.error()).isEqualTo("vm not running");
    }

    @Test
    void ac_a16_a17_vfio_and_drift_without_hardware_or_driftd() {
        Api api = volantd.start();
        assertThat(api.post("/api/v1/vfio/devices/validate", "{}").status()).isEqualTo(400);
        JsonNode bogus = api.post("/api/v1/vfio/devices/validate", "{\"pci_addresses\":[\"bogus\"]}").json();
        assertThat(bogus.path("valid").asBoolean()).isFalse();
        assertThat(bogus.path("errors").get(0).asText()).isEqualTo("invalid PCI address format: bogus (expected format: 0000:01:00.0)");
        var bind = api.post("/api/v1/vfio/devices/bind", "{\"pci_addresses\":[\"../x\"]}");
        assertThat(bind.status()).isEqualTo(400);
        assertThat(bind.error()).isEqualTo("invalid PCI address format: ../x (expected format: 0000:01:00.0)");
        var drift = api.get("/api/v1/drift/routes");
        assertThat(drift.status()).isEqualTo(503);
        assertThat(drift.error()).isEqualTo("drift not configured");
        assertThat(api.delete("/api/v1/drift/routes/tcp/70000").error()).isEqualTo("invalid port");
    }

    @Test
    void ac_a18_mcp_commands() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        assertThat(api.post("/api/v1/mcp", "{\"command\":\"foo\"}").body()).isEqualTo("{\"result\":null,\"error\":\"unknown command: foo\"}");
        assertThat(api.post("/api/v1/mcp", "x").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/mcp", "{\"command\":\"volant.system.get_capabilities\"}").json()
                .path("result").path("capabilities")).hasSize(2);
        JsonNode created = api.post("/api/v1/mcp", "{\"command\":\"volant.vms.create\",\"params\":{\"name\":\"m1\",\"plugin\":\"caddy\",\"cpu_cores\":2}}").json();
        assertThat(created.path("result").path("cpu_cores").asInt()).as(created.toString()).isEqualTo(2);
        JsonNode listed = api.post("/api/v1/mcp", "{\"command\":\"volant.vms.list\"}").json().path("result");
        assertThat(listed).hasSize(1);
        List<String> members = new ArrayList<>();
        listed.get(0).fieldNames().forEachRemaining(members::add);
        assertThat(members).containsExactlyInAnyOrder("id", "name", "status", "ip_address", "cpu_cores", "memory_mb");
    }

    @Test
    void ac_a19_a20_websockets_validate_before_upgrading() throws Exception {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        int port = volantd.daemon().port();
        var unknown = RawHttp.handshake(port, "/ws/v1/vms/nope/console");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).as(unknown.head()).contains("vm not found");
        assertThat(RawHttp.handshake(port, "/ws/v1/vms/nope/logs").status()).isEqualTo(404);
        api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        // The simulated backend's echo console (api/SimulatedConsole) accepts a running VM's console.
        var console = RawHttp.handshake(port, "/ws/v1/vms/web/console");
        assertThat(console.status()).as(console.head()).isEqualTo(101);
        var evil = RawHttp.handshake(port, "/ws/v1/vms/web/console", "Origin", "http://evil.example");
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.body()).contains("origin not allowed");
        assertThat(api.get("/nope").body()).contains("\"error\":\"not found\"");
    }

    @Test
    void system_routes_report_counts_and_addresses() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/vms", "{\"name\":\"web\",\"plugin\":\"caddy\"}");
        JsonNode status = api.get("/api/v1/system/status").json();
        assertThat(status.path("status").asText()).isEqualTo("ok");
        assertThat(status.path("vm_count").asInt()).isEqualTo(1);
        assertThat(status.has("cpu_percent")).isTrue();
        assertThat(status.has("mem_percent")).isTrue();
        JsonNode info = api.get("/api/v1/system/info").json();
        assertThat(info.path("api_listen_addr").asText()).isEqualTo("127.0.0.1:0");
        assertThat(info.path("host_ip").asText()).isEqualTo("192.168.127.1");
        assertThat(info.path("api_advertise_addr").asText()).isEqualTo("192.168.127.1:0");
        assertThat(info.path("version").asText()).isEqualTo(io.volant.manifest.VolantVersion.get());
        JsonNode summary = api.get("/api/v1/system/summary").json();
        assertThat(summary.path("total_vms").asInt()).isEqualTo(1);
        assertThat(summary.path("by_status").path("running").asInt()).isEqualTo(1);
        assertThat(summary.path("by_runtime").path("caddy").asInt()).isEqualTo(1);
        assertThat(summary.path("plugins").get(0).path("name").asText()).isEqualTo("caddy");
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("volant_vms{status=\"running\"} 1").contains("volant_http_requests_total")
                .contains("volant_events_dropped_total").contains("volant_plugins{enabled=\"true\"} 1");
    }
}
