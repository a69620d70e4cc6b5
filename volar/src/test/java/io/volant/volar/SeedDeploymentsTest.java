package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published Deployments guide (seed-deployments-page.txt), its commands verbatim, each observed through
 * {@code deployments get web -o json} / {@code vms list -o json}. Subclasses choose the volantd under test.
 */
abstract class SeedDeploymentsTest {
    private final ObjectMapper json = new ObjectMapper();
    private TestServer volantd;
    private Cli cli;
    @TempDir
    Path dir;

    /** A volantd listening on loopback. */
    interface TestServer extends AutoCloseable {
        String base();

        /** The caddy manifest as this server accepts it (boot media must exist for a real volantd). */
        String caddyManifest(Path dir) throws Exception;

        @Override
        void close();
    }

    abstract TestServer startServer(Path dir) throws Exception;

    @BeforeEach
    void start() throws Exception {
        volantd = startServer(dir);
        cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
        Files.writeString(dir.resolve("web.json"),
                "{ \"plugin\": \"caddy\", \"resources\": { \"cpu_cores\": 2, \"memory_mb\": 512 } }\n");
    }

    @AfterEach
    void stop() {
        volantd.close();
    }

    private JsonNode deployment() throws Exception {
        Cli.Result r = cli.run("deployments", "get", "web", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        return json.readTree(r.out());
    }

    /** ready_replicas as {@code deployments get web -o json} reports it, once it reaches {@code n}. */
    private void awaitReady(int n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> deployment().get("ready_replicas").asInt() == n);
    }

    private List<String> vmNames() throws Exception {
        Cli.Result r = cli.run("vms", "list", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> names = new ArrayList<>();
        json.readTree(r.out()).forEach(v -> names.add(v.get("name").asText()));
        return names;
    }

    @Test
    void create_makes_three_replicas_named_after_the_deployment() throws Exception {
        Cli.Result r = cli.run("deployments", "create", "web", "--config", "web.json", "--replicas", "3");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deployment web created with 3 replicas\n");
        JsonNode d = deployment();
        assertThat(d.get("desired_replicas").asInt()).isEqualTo(3);
        assertThat(d.path("config").path("resources").path("memory_mb").asInt()).isEqualTo(512);
        assertThat(vmNames()).containsExactlyInAnyOrder("web-1", "web-2", "web-3");
        awaitReady(3);
    }

    @Test
    void scale_to_five_fills_the_next_indices() throws Exception {
        cli.run("deployments", "create", "web", "--config", "web.json", "--replicas", "3");

        Cli.Result r = cli.run("deployments", "scale", "web", "5");

        assertThat(r.exit()).as(r.err()).isZero();
        // Readiness (EXTENSION C) may lag the scale call: the line reports what the server counted then.
        assertThat(r.out()).matches("Deployment web scaled to 5 replicas \\(ready [0-5]\\)\n");
        assertThat(deployment().get("desired_replicas").asInt()).isEqualTo(5);
        assertThat(vmNames()).containsExactlyInAnyOrder("web-1", "web-2", "web-3", "web-4", "web-5");
        awaitReady(5);
    }

    @Test
    void vms_scale_changes_one_replica_and_restarts_it() throws Exception {
        cli.run("deployments", "create", "web", "--config", "web.json", "--replicas", "3");

        Cli.Result r = cli.run("vms", "scale", "web-3", "--cpu", "4", "--restart");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).containsExactly(
                "VM web-3 updated: CPU=4 cores, Memory=512 MB (config version 2)",
                "VM web-3 restarted to apply resource changes");
        JsonNode vms = json.readTree(cli.run("vms", "list", "-o", "json").out());
        for (JsonNode vm : vms) {
            int expected = vm.get("name").asText().equals("web-3") ? 4 : 2;
            assertThat(vm.get("cpu_cores").asInt()).as(vm.get("name").asText()).isEqualTo(expected);
            assertThat(vm.get("status").asText()).isEqualTo("running");
        }
    }

    @Test
    void delete_removes_the_deployment_and_its_vms() throws Exception {
        cli.run("deployments", "create", "web", "--config", "web.json", "--replicas", "3");

        Cli.Result r = cli.run("deployments", "delete", "web");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deployment web deleted\n");
        Cli.Result get = cli.run("deployments", "get", "web", "-o", "json");
        assertThat(get.exit()).isEqualTo(1);
        assertThat(get.err()).isEqualTo("Error: deployment web not found\n");
        assertThat(vmNames()).isEmpty();
    }
}
