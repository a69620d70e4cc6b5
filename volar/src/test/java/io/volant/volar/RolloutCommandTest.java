package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deployments rollout ...}, the STATUS column and an honest {@code --wait}, against a real volantd (simulated). */
class RolloutCommandTest {
    private final ObjectMapper json = new ObjectMapper();
    private RealVolantd volantd;
    private Cli cli;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        volantd = new RealVolantd(Files.createTempDirectory(dir, "volantd"), Map.of());
        cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
        Files.writeString(dir.resolve("v1.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}");
        Files.writeString(dir.resolve("v2.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":128}}");
        // The simulated backend's label: every VM of this config fails to launch.
        Files.writeString(dir.resolve("broken.json"), "{\"plugin\":\"caddy\",\"kernel_cmdline\":\"simulated.launch=fail\","
                + "\"resources\":{\"cpu_cores\":1,\"memory_mb\":128}}");
        assertThat(cli.run("deployments", "create", "web", "--config", "v1.json", "--replicas", "2", "--wait").exit()).isZero();
    }

    @AfterEach
    void stop() {
        volantd.close();
    }

    private JsonNode deployment() throws Exception {
        return json.readTree(cli.run("deployments", "get", "web", "-o", "json").out());
    }

    @Test
    void update_wait_returns_only_when_every_replica_is_updated_and_ready() throws Exception {
        Cli.Result r = cli.run("deployments", "update", "web", "--config", "v2.json", "--wait");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode d = deployment();
        assertThat(d.path("updated_replicas").asInt()).isEqualTo(2);
        assertThat(d.path("ready_replicas").asInt()).isEqualTo(2);
        assertThat(d.path("rollout").path("status").asText()).isEqualTo("complete");

        Cli.Result list = cli.run("deployments", "list");
        assertThat(list.outLines().getFirst()).matches("NAME .* STATUS");
        assertThat(list.outLines().get(1)).startsWith("web").endsWith("Available");
    }

    @Test
    void a_failing_rollout_ends_the_wait_with_the_reason_and_undo_goes_back() throws Exception {
        Cli.Result r = cli.run("deployments", "update", "web", "--config", "broken.json", "--progress-deadline", "1", "--wait");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Error: rollout of deployment web failed: revision 2: progress deadline 1s exceeded")
                .contains("last error: create web-3: simulated: launch failed");
        assertThat(deployment().path("conditions").toString()).contains("ReplicaFailure");

        Cli.Result undo = cli.run("deployments", "rollout", "undo", "web", "--wait");
        assertThat(undo.exit()).as(undo.err()).isZero();
        assertThat(undo.out()).isEqualTo("Deployment web rolled back to revision 1\n");
        assertThat(deployment().path("revision").asInt()).isEqualTo(1);

        Cli.Result history = cli.run("deployments", "rollout", "history", "web");
        assertThat(history.outLines()).hasSize(3);
        assertThat(history.outLines().get(1)).startsWith("1").contains("*").contains("undo from revision 2");
        assertThat(history.outLines().get(2)).startsWith("2").contains("update");
    }

    @Test
    void wait_times_out_with_a_non_zero_exit_and_the_state() {
        Cli.Result r = cli.run("deployments", "update", "web", "--config", "broken.json", "--wait", "--wait-timeout", "1s");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Error: timed out after 1s waiting for deployment web: 2/2 replicas ready")
                // How many replicas reached revision 2 before the 1 s ran out depends on the machine's speed.
                .containsPattern("rollout: [0-2] of 2 replicas at revision 2");
    }

    @Test
    void pause_resume_and_status() {
        assertThat(cli.run("deployments", "rollout", "pause", "web").out()).isEqualTo("Deployment web rollout paused\n");
        assertThat(cli.run("deployments", "update", "web", "--config", "v2.json").exit()).isZero();
        Cli.Result status = cli.run("deployments", "rollout", "status", "web");
        assertThat(status.outLines().getFirst()).isEqualTo("deployment web revision 2: 0/2 updated, 2/2 ready, rollout progressing"
                + " (paused): 0 of 2 replicas at revision 2");
        assertThat(status.out()).contains("Progressing=False RolloutPaused");
        assertThat(cli.run("deployments", "rollout", "resume", "web").exit()).isZero();
        Cli.Result watched = cli.run("deployments", "rollout", "status", "web", "--watch");
        assertThat(watched.exit()).as(watched.err()).isZero();
        assertThat(watched.outLines().getFirst()).isEqualTo("deployment web revision 2: 2/2 updated, 2/2 ready, rollout complete");
        assertThat(cli.run("deployments", "rollout", "status", "nope").exit()).isNotZero();
    }
}
