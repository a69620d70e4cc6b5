package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash harness of issue 14: rounds of SIGKILL of a real volantd process (simulated backend) at a random moment
 * of a scale, a rolling update and a delete, then a restart on the same database. After each restart the deployment
 * converges to its desired replicas at its current revision named {@code h-1..n} (or the delete completes), and the
 * database holds unique names, IPs, MACs and CIDs and no lease without a VM. The simulated backend has no processes,
 * so "no hypervisor without a row" is shown by the real-VM tests and {@code vm/InterruptedLaunchTest}, not here.
 *
 * <p>Each operation's rounds are split over two lanes, and the six lanes run concurrently, each with its own volantd
 * process, database and {@link Random} (seeded from the printed seed, the operation and the lane), so a run is as
 * reproducible as before while the wall time is mostly one lane's waits (restarts, backoffs, rollout polls).
 * {@code -Dvolant.crash.seed=N} replays a run, {@code -Dvolant.crash.rounds=N} changes the rounds per operation
 * (default 20, so 10 per lane).
 */
class DeploymentCrashHarnessTest {
    private static final String H = "/api/v1/deployments/h";

    // two lanes per operation, each its own volantd and database (see the class comment)
    @RegisterExtension
    final VolantdFixture scale1 = lane();
    @RegisterExtension
    final VolantdFixture scale2 = lane();
    @RegisterExtension
    final VolantdFixture update1 = lane();
    @RegisterExtension
    final VolantdFixture update2 = lane();
    @RegisterExtension
    final VolantdFixture delete1 = lane();
    @RegisterExtension
    final VolantdFixture delete2 = lane();

    private static VolantdFixture lane() {
        return new VolantdFixture().env("VOLANT_SIMULATED_LAUNCH_MS", "15");
    }

    private static String config(int cpu) {
        return "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":" + cpu + ",\"memory_mb\":128}}";
    }

    @Test
    void sigkill_during_scale_rolling_update_and_delete_always_recovers() throws Exception {
        long seed = Long.getLong("volant.crash.seed", System.nanoTime());
        int rounds = Integer.getInteger("volant.crash.rounds", 20);
        System.out.println("crash harness seed=" + seed + " rounds=" + rounds);
        int first = (rounds + 1) / 2;
        List<Scenario> scenarios = List.of(new Scenario(Op.SCALE, 1, first, scale1, seed),
                new Scenario(Op.SCALE, 2, rounds - first, scale2, seed),
                new Scenario(Op.UPDATE, 1, first, update1, seed), new Scenario(Op.UPDATE, 2, rounds - first, update2, seed),
                new Scenario(Op.DELETE, 1, first, delete1, seed), new Scenario(Op.DELETE, 2, rounds - first, delete2, seed));
        for (Scenario s : scenarios) {
            s.install();
        }
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(scenarios.size())) {
            List<Future<?>> running = new ArrayList<>();
            for (Scenario s : scenarios) {
                running.add(pool.submit(() -> {
                    s.run();
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        }
        System.out.println("crash harness seed=" + seed + " all scenarios done_ms=" + (System.nanoTime() - t0) / 1_000_000);
    }

    enum Op { SCALE, UPDATE, DELETE }

    /** One lane of one operation's rounds against its own volantd process and database. */
    private static final class Scenario {
        private final Op op;
        private final int lane;
        private final int rounds;
        private final VolantdFixture fixture;
        private final long seed;
        private final Random random;
        private Path db;
        private ChildVolantd child;
        private Api api;
        private int cpu = 1;

        Scenario(Op op, int lane, int rounds, VolantdFixture fixture, long seed) {
            this.op = op;
            this.lane = lane;
            this.rounds = rounds;
            this.fixture = fixture;
            this.seed = seed;
            this.random = new Random(seed + 10L * op.ordinal() + lane);
        }

        void install() {
            db = fixture.dir().resolve("state.db");
            fixture.start().install("example-caddy.manifest.json");
            fixture.stop();
        }

        void run() throws Exception {
            spawn();
            try {
                create(4);
                assertConverged(label(-1) + " setup");
                for (int round = 0; round < rounds; round++) {
                    long t0 = System.nanoTime();
                    switch (op) {
                        case SCALE -> scaleRound(round);
                        case UPDATE -> updateRound(round);
                        case DELETE -> deleteRound(round);
                    }
                    System.out.println(label(round) + " done_ms=" + (System.nanoTime() - t0) / 1_000_000);
                }
            } finally {
                child.close();
            }
        }

        private String label(int round) {
            return "seed=" + seed + " scenario=" + op.name().toLowerCase(java.util.Locale.ROOT) + "-" + lane
                    + " round=" + round;
        }

        private void scaleRound(int round) throws Exception {
            int n = desired();
            long maxId = Db.count(db, "SELECT coalesce(max(id), 0) FROM vms");
            int target = random.nextInt(11);
            async("PATCH", H, "{\"replicas\":" + target + "}");
            if (target > n) {
                int k = 1 + random.nextInt(target - n);
                killWhen("SELECT coalesce(max(id), 0) FROM vms", c -> c >= maxId + k);
            } else {
                int k = random.nextInt(Math.max(n - target, 1));
                killWhen("SELECT count(*) FROM vms", c -> c <= n - k);
            }
            assertConverged(label(round) + " scale " + n + "->" + target);
        }

        /** A rolling update to the other config; every third round also resizes (2..8), as scale rounds did before. */
        private void updateRound(int round) throws Exception {
            int n = desired();
            long maxId = Db.count(db, "SELECT coalesce(max(id), 0) FROM vms");
            // the other config than the stored one (a kill before the previous PATCH committed left the old one)
            cpu = 3 - (int) Db.count(db, "SELECT json_extract(config_json, '$.resources.cpu_cores') FROM vm_groups "
                    + "WHERE name = 'h'");
            int target = round % 3 == 2 ? 2 + random.nextInt(7) : n;
            async("PATCH", H, "{\"config\":" + config(cpu) + ",\"replicas\":" + target + ",\"strategy\":{\"max_surge\":"
                    + (1 + random.nextInt(2)) + ",\"max_unavailable\":" + random.nextInt(2) + "}}");
            int k = random.nextInt(Math.min(n, target) + 1); // the update creates at least this many new VMs
            killWhen("SELECT coalesce(max(id), 0) FROM vms", c -> c >= maxId + k);
            String what = label(round) + " update to cpu " + cpu;
            assertConverged(what);
            assertThat(Db.count(db, "SELECT count(*) FROM vms WHERE cpu_cores <> (SELECT json_extract(config_json, "
                    + "'$.resources.cpu_cores') FROM vm_groups WHERE name = 'h')")).as(what).isZero();
        }

        private void deleteRound(int round) throws Exception {
            String what = label(round);
            int n = desired();
            async("DELETE", H, null);
            int k = random.nextInt(Math.max(n, 1));
            killWhen("SELECT count(*) FROM vms", c -> c <= n - k);
            Api a = api;
            if (Db.count(db, "SELECT count(*) FROM vm_groups WHERE name = 'h' AND deleting = 0") == 1) {
                // killed before the delete intent was written: the deployment simply stays
                assertConverged(what + " delete not started");
            } else {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    assertThat(a.get(H).status()).as(what + " delete completes").isEqualTo(404);
                    assertThat(SeedScenarioTest.members(a, "h")).as(what).isEmpty();
                    assertThat(Db.count(db, "SELECT count(*) FROM vms")).as(what).isZero();
                });
                assertUnique(what);
            }
            if (a.get(H).status() == 404) {
                create(1 + random.nextInt(6));
            }
            assertConverged(what + " recreate");
        }

        private int desired() {
            return api.get(H).json().path("desired_replicas").asInt();
        }

        private void spawn() throws Exception {
            child = ChildVolantd.spawn(fixture.environment());
            await().atMost(Duration.ofSeconds(120)).until(() -> child.listeningPort() > 0 || !child.alive());
            assertThat(child.alive()).as(String.join("\n", child.output())).isTrue();
            api = new Api("http://127.0.0.1:" + child.listeningPort());
        }

        /** Sends a request from another thread; the connection dies with the process. */
        private void async(String method, String path, String body) {
            Api a = api;
            Thread.ofVirtual().start(() -> {
                try {
                    a.send(method, path, body);
                } catch (RuntimeException expected) {
                    // killed mid-request
                }
            });
        }

        /** Waits until {@code sql} (a count) satisfies {@code test} or the operation ended, then SIGKILL and restart. */
        private void killWhen(String sql, java.util.function.LongPredicate test) throws Exception {
            try {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(3))
                        .until(() -> test.test(Db.count(db, sql)));
            } catch (org.awaitility.core.ConditionTimeoutException finished) {
                // the operation completed without passing the mark: the kill still tests a restart
            }
            long t = System.nanoTime();
            child.kill();
            spawn();
            System.out.println(label(-2) + " killed and restarted spawn_ms=" + (System.nanoTime() - t) / 1_000_000);
        }

        private void assertConverged(String what) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                JsonNode d = api.get(H).json();
                int n = d.path("desired_replicas").asInt();
                TreeSet<String> expected = new TreeSet<>();
                for (int i = 1; i <= n; i++) {
                    expected.add("h-" + i);
                }
                assertThat(SeedScenarioTest.members(api, "h")).as(what).isEqualTo(expected);
                assertThat(d.path("updated_replicas").asInt()).as(what).isEqualTo(n);
                assertThat(d.path("ready_replicas").asInt()).as(what).isEqualTo(n);
                assertThat(d.path("rollout").path("status").asText()).as(what).isEqualTo("complete");
            });
            assertUnique(what);
        }

        private void assertUnique(String what) {
            long vms = Db.count(db, "SELECT count(*) FROM vms");
            assertThat(Db.count(db, "SELECT count(DISTINCT name) FROM vms")).as(what).isEqualTo(vms);
            assertThat(Db.count(db, "SELECT count(DISTINCT ip_address) FROM vms WHERE ip_address IS NOT NULL"))
                    .as(what).isEqualTo(Db.count(db, "SELECT count(*) FROM vms WHERE ip_address IS NOT NULL"));
            assertThat(Db.count(db, "SELECT count(DISTINCT mac_address) FROM vms")).as(what).isEqualTo(vms);
            assertThat(Db.count(db, "SELECT count(DISTINCT vsock_cid) FROM vms")).as(what).isEqualTo(vms);
            assertThat(Db.count(db, "SELECT count(*) FROM ip_allocations WHERE status = 'leased' AND "
                    + "(vm_id IS NULL OR vm_id NOT IN (SELECT id FROM vms))")).as(what + ": lease without a VM").isZero();
        }

        private void create(int replicas) {
            Api.Resp r = api.post("/api/v1/deployments", "{\"name\":\"h\",\"replicas\":" + replicas + ",\"config\":"
                    + config(cpu) + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
    }
}
