package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Suspend and resume over HTTP on a real volantd (simulated backend, SQLite), restarts included (issue 13 item 4). */
class SuspendResumeApiTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture().resync(Duration.ofMillis(200));

    private Api started() {
        Api api = volantd.start();
        assertThat(api.install("example-caddy.manifest.json").status()).isEqualTo(201);
        return api;
    }

    private static JsonNode create(Api api, String name) {
        var r = api.post("/api/v1/vms", "{\"name\":\"" + name + "\",\"plugin\":\"caddy\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private Path stateDir(String name) {
        return volantd.dir().resolve("suspended").resolve(name);
    }

    @Test
    void suspend_then_resume_keeps_ip_mac_and_cid_and_system_info_counts_the_state() {
        Api api = started();
        JsonNode vm = create(api, "web");

        var s = api.post("/api/v1/vms/web/suspend", "");
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(s.json().path("status").asText()).isEqualTo("suspended");
        assertThat(s.json().has("pid")).isFalse();
        assertThat(api.get("/api/v1/vms/web").json().path("status").asText()).isEqualTo("suspended");
        JsonNode info = api.get("/api/v1/system/info").json();
        assertThat(info.path("suspended").path("vms").asInt()).isEqualTo(1);
        assertThat(info.path("suspended").path("bytes").asLong()).isPositive();
        assertThat(info.path("suspended").path("dir").asText()).isEqualTo(volantd.dir().resolve("suspended").toString());
        assertThat(api.get("/api/v1/system/summary").json().path("by_status").path("suspended").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/vms?status=suspended").json()).hasSize(1);

        var r = api.post("/api/v1/vms/web/resume", "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("running");
        for (String f : new String[] {"ip_address", "mac_address", "vsock_cid"}) {
            assertThat(r.json().path(f)).as(f).isEqualTo(vm.path(f));
        }
        assertThat(api.get("/api/v1/vms/web/agent/healthz").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/system/info").json().path("suspended").path("vms").asInt()).isZero();
        assertThat(stateDir("web")).doesNotExist();
    }

    @Test
    void wrong_states_and_unknown_vms_get_409_and_404_naming_the_vm() {
        Api api = started();
        create(api, "web");
        var notSuspended = api.post("/api/v1/vms/web/resume", "");
        assertThat(notSuspended.status()).isEqualTo(409);
        assertThat(notSuspended.error()).isEqualTo("orchestrator: vm web is not suspended (status running)");
        assertThat(api.post("/api/v1/vms/web/stop", "").status()).isEqualTo(200);
        var notRunning = api.post("/api/v1/vms/web/suspend", "");
        assertThat(notRunning.status()).isEqualTo(409);
        assertThat(notRunning.error()).isEqualTo("orchestrator: vm web is not running (status stopped)");
        var missing = api.post("/api/v1/vms/nope/suspend", "");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("orchestrator: vm not found: nope");
    }

    @Test
    void a_suspended_vm_survives_a_volantd_restart_and_resumes() {
        Api api = started();
        JsonNode vm = create(api, "web");
        assertThat(api.post("/api/v1/vms/web/suspend", "").status()).isEqualTo(200);

        api = volantd.restart();
        assertThat(api.get("/api/v1/vms/web").json().path("status").asText()).isEqualTo("suspended");
        var r = api.post("/api/v1/vms/web/resume", "");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("ip_address")).isEqualTo(vm.path("ip_address"));

        assertThat(api.post("/api/v1/vms/web/suspend", "").status()).isEqualTo(200);
        volantd.kill();
        api = volantd.start();
        assertThat(api.get("/api/v1/vms/web").json().path("status").asText()).isEqualTo("suspended");
        assertThat(api.post("/api/v1/vms/web/resume", "").status()).isEqualTo(200);
    }

    @Test
    void delete_of_a_suspended_vm_removes_its_state() {
        Api api = started();
        create(api, "web");
        assertThat(api.post("/api/v1/vms/web/suspend", "").status()).isEqualTo(200);
        assertThat(stateDir("web")).isDirectory();
        assertThat(api.delete("/api/v1/vms/web").status()).isEqualTo(204);
        assertThat(stateDir("web")).doesNotExist();
        assertThat(api.get("/api/v1/system/info").json().path("suspended").path("vms").asInt()).isZero();
    }

    @Test
    void failures_leave_a_repairable_vm_running_suspended_or_stopped() throws Exception {
        Api api = started();
        create(api, "web");
        assertThat(api.post("/api/v1/simulated/suspend-failures", "{\"count\":1,\"vm\":\"web\"}").status()).isEqualTo(204);
        var failed = api.post("/api/v1/vms/web/suspend", "");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.error()).isEqualTo("orchestrator: suspend vm web: simulated: suspend failed");
        assertThat(api.get("/api/v1/vms/web").json().path("status").asText()).isEqualTo("running");

        assertThat(api.post("/api/v1/vms/web/suspend", "").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/simulated/launch-failures", "{\"count\":1,\"vm\":\"web\"}").status()).isEqualTo(204);
        assertThat(api.post("/api/v1/vms/web/resume", "").status()).isEqualTo(500);
        assertThat(api.get("/api/v1/vms/web").json().path("status").asText()).isEqualTo("suspended");

        try (var files = Files.walk(stateDir("web"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        var gone = api.post("/api/v1/vms/web/resume", "");
        assertThat(gone.status()).isEqualTo(409);
        assertThat(gone.error()).startsWith("orchestrator: resume vm web: saved state missing in ")
                .endsWith("; the vm is now stopped, start it to boot it afresh");
        assertThat(api.get("/api/v1/vms/web").json().path("status").asText()).isEqualTo("stopped");
        assertThat(api.post("/api/v1/vms/web/start", "").status()).isEqualTo(200);
    }

    @Test
    void a_suspended_deployment_member_is_neither_duplicated_nor_restarted_and_counts_as_not_ready() {
        Api api = started();
        var d = api.post("/api/v1/deployments", "{\"name\":\"web\",\"replicas\":2,\"config\":{\"plugin\":\"caddy\","
                + "\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}");
        assertThat(d.status()).as(d.body()).isEqualTo(201);
        assertThat(api.post("/api/v1/vms/web-2/suspend", "").status()).isEqualTo(200);

        // Several resync passes (200 ms) later: still two members, web-2 untouched.
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode dep = api.get("/api/v1/deployments/web").json();
            assertThat(dep.path("ready_replicas").asInt()).isEqualTo(1);
        });
        assertThat(api.get("/api/v1/vms?sort=name").json()).extracting(v -> v.path("name").asText() + "="
                + v.path("status").asText()).containsExactly("web-1=running", "web-2=suspended");

        assertThat(api.post("/api/v1/vms/web-2/resume", "").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/api/v1/deployments/web").json().path("ready_replicas").asInt()).isEqualTo(2));
    }
}
