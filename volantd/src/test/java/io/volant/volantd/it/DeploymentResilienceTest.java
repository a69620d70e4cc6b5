package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deployment behaviour under crashes, kills and concurrency, through the API of a real volantd. */
class DeploymentResilienceTest {
    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    private static String deployment(String name, int replicas) {
        return "{\"name\":\"" + name + "\",\"replicas\":" + replicas
                + ",\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}}";
    }

    @Test
    void crashed_replica_is_restarted_and_only_running_replicas_count_as_ready() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        assertThat(api.post("/api/v1/deployments", deployment("d", 2)).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/v1/deployments/d").json().path("ready_replicas").asInt()).isEqualTo(2));
        JsonNode before = api.get("/api/v1/vms/d-1").json();

        // Three failing relaunches keep the replica down for the first backoff steps (1 s, 2 s, 4 s).
        assertThat(api.post("/api/v1/simulated/launch-failures", "{\"count\":3,\"vm\":\"d-1\"}").status()).isEqualTo(204);
        assertThat(api.post("/api/v1/simulated/vms/d-1/exit", "{\"code\":1}").status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/vms/d-1").json().path("status").asText()).isIn("crashed", "stopped");
            assertThat(api.get("/api/v1/deployments/d").json().path("ready_replicas").asInt()).isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode vm = api.get("/api/v1/vms/d-1").json();
            assertThat(vm.path("status").asText()).isEqualTo("running");
            assertThat(vm.path("id").asLong()).isEqualTo(before.path("id").asLong());
            assertThat(vm.path("pid").asLong()).isNotEqualTo(before.path("pid").asLong());
            assertThat(api.get("/api/v1/deployments/d").json().path("ready_replicas").asInt()).isEqualTo(2);
        });
        var crashes = volantd.logLines().stream().filter(l -> l.contains("d-1")).toList();
        assertThat(crashes).isNotEmpty();
    }

    @Test
    void stopped_replica_is_not_ready_and_not_replaced() {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/deployments", deployment("d", 3));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/v1/deployments/d").json().path("ready_replicas").asInt()).isEqualTo(3));
        assertThat(api.post("/api/v1/vms/d-2/stop", "").status()).isEqualTo(200);
        JsonNode d = api.get("/api/v1/deployments/d").json();
        assertThat(d.path("desired_replicas").asInt()).isEqualTo(3);
        assertThat(d.path("ready_replicas").asInt()).isEqualTo(2);
        assertThat(SeedScenarioTest.members(api, "d")).containsExactly("d-1", "d-2", "d-3");
        assertThat(api.get("/api/v1/vms/d-2").json().path("status").asText()).isEqualTo("stopped");
    }

    @Test
    void sigkill_during_scale_from_0_to_50_converges_to_exactly_50_after_restart() throws Exception {
        Api first = volantd.start();
        first.install("example-caddy.manifest.json");
        assertThat(first.post("/api/v1/deployments", deployment("big", 0)).status()).isEqualTo(201);
        volantd.stop();

        Path db = volantd.dir().resolve("state.db");
        try (ChildVolantd child = ChildVolantd.spawn(volantd.environment())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> child.listeningPort() > 0);
            Api api = new Api("http://127.0.0.1:" + child.listeningPort());
            Thread.ofVirtual().start(() -> {
                try {
                    api.patch("/api/v1/deployments/big", "{\"replicas\":50}");
                } catch (RuntimeException expected) {
                    // the connection dies with the process
                }
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Db.count(db, "SELECT count(*) FROM vms") >= 5);
            child.kill();
        }
        long atKill = Db.count(db, "SELECT count(*) FROM vms");

        Api api = volantd.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode d = api.get("/api/v1/deployments/big").json();
            assertThat(d.path("desired_replicas").asInt()).isEqualTo(50);
            assertThat(d.path("ready_replicas").asInt()).isEqualTo(50);
        });
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 1; i <= 50; i++) {
            expected.add("big-" + i);
        }
        assertThat(SeedScenarioTest.members(api, "big")).isEqualTo(expected);
        assertThat(atKill).as("killed mid-scale").isLessThan(50);
        assertThat(Db.count(db, "SELECT count(*) FROM vms")).isEqualTo(50);
        assertThat(Db.count(db, "SELECT count(DISTINCT name) FROM vms")).isEqualTo(50);
        assertThat(Db.count(db, "SELECT count(*) FROM ip_allocations WHERE status = 'leased'")).isEqualTo(50);
        assertThat(Db.count(db, "SELECT count(*) FROM ip_allocations a JOIN vms v ON v.id = a.vm_id AND v.ip_address = a.ip_address WHERE a.status = 'leased'")).isEqualTo(50);
        assertThat(Db.count(db, "SELECT count(DISTINCT vsock_cid) FROM vms WHERE vsock_cid > 0")).isEqualTo(50);
    }

    /**
     * Which of 20 racing requests the server accepts last is not observable by the client (responses may arrive
     * in any order), so the test checks that the stored target is one of the requested ones, that every request
     * was answered 200 with a target of its own race, and that the members converge to exactly that target.
     */
    @Test
    void twenty_concurrent_scales_end_at_the_last_accepted_target() throws Exception {
        Api api = volantd.start();
        api.install("example-caddy.manifest.json");
        api.post("/api/v1/deployments", deployment("c", 1));
        Random random = new Random(42);
        Set<Integer> targets = ConcurrentHashMap.newKeySet();
        List<Future<Api.Resp>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                int target = random.nextInt(11);
                targets.add(target);
                results.add(pool.submit(() -> api.patch("/api/v1/deployments/c", "{\"replicas\":" + target + "}")));
            }
            for (Future<Api.Resp> f : results) {
                Api.Resp r = f.get();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(targets).contains(r.json().path("desired_replicas").asInt());
            }
        }
        int last = api.get("/api/v1/deployments/c").json().path("desired_replicas").asInt();
        assertThat(targets).contains(last);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            TreeSet<String> expected = new TreeSet<>();
            for (int i = 1; i <= last; i++) {
                expected.add("c-" + i);
            }
            assertThat(SeedScenarioTest.members(api, "c")).isEqualTo(expected);
            assertThat(api.get("/api/v1/deployments/c").json().path("desired_replicas").asInt()).isEqualTo(last);
        });
        Path db = volantd.dir().resolve("state.db");
        assertThat(Db.count(db, "SELECT count(*) FROM ip_allocations WHERE status = 'leased'")).isEqualTo(last);
    }
}
