package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI acceptance lines of api-and-cli.md §7 against a real in-process volantd (simulated backend, API key
 * {@code k} on both sides, AC-C12). One daemon serves the class; every test uses its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealVolantdAcceptanceTest {
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    static Path dir;
    private RealVolantd volantd;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        volantd = new RealVolantd(dir, Map.of("VOLANT_API_KEY", "k"));
        cli = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k").cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        Cli.Result install = cli.run("plugins", "install", "caddy.json");
        assertThat(install.out()).as(install.err()).isEqualTo("Plugin caddy 0.1.0 installed\n");
    }

    @AfterAll
    void stop() {
        volantd.close();
    }

    @Test
    void ac_c3_create_prints_an_address_of_the_managed_subnet_and_the_table_shows_it() throws Exception {
        Cli.Result r = cli.run("vms", "create", "c3", "--plugin", "caddy", "--cpu", "2", "--memory", "512");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("VM c3 created with IP 192\\.168\\.127\\.\\d+\n");
        assertThat(r.out()).doesNotContain("192.168.127.1\n");
        String ip = r.out().substring(r.out().lastIndexOf(' ') + 1).trim();
        List<String> rows = cli.run("vms", "list").outLines();
        assertThat(rows.getFirst()).matches("NAME +STATUS +RUNTIME +IP +MAC +CPU +MEM +AGE");
        assertThat(rows).anyMatch(l -> l.matches("c3 +running +caddy +" + java.util.regex.Pattern.quote(ip)
                + " +\\S+ +2 +512 +\\d+s"));
        JsonNode vm = json.readTree(cli.run("vms", "get", "c3", "-o", "json").out());
        assertThat(vm.get("cpu_cores").asInt()).isEqualTo(2);
        assertThat(cli.run("vms", "create", "c3", "--plugin", "caddy").err())
                .isEqualTo("Error: vm already exists: c3 (HTTP 409)\n");
    }

    @Test
    void manifest_resources_apply_when_no_flags_are_given() throws Exception {
        cli.run("vms", "create", "small", "--plugin", "caddy");
        JsonNode vm = json.readTree(cli.run("vms", "get", "small", "-o", "json").out());
        assertThat(vm.get("cpu_cores").asInt()).isEqualTo(1);
        assertThat(vm.get("memory_mb").asInt()).isEqualTo(512);
    }

    @Test
    void ac_c5_config_versions_and_history() throws Exception {
        cli.run("vms", "create", "c5", "--plugin", "caddy", "--cpu", "1", "--memory", "256");
        cli.run("vms", "scale", "c5", "--memory", "384");
        Files.writeString(dir.resolve("c5.yaml"), "resources:\n  cpu_cores: 2\n");
        assertThat(cli.run("vms", "config", "patch", "c5", "--file", "c5.yaml").out())
                .isEqualTo("VM c5 configuration updated (version 3)\n");

        JsonNode raw = json.readTree(cli.run("vms", "config", "get", "c5", "--raw").out());
        assertThat(raw.get("version").asInt()).isEqualTo(3);
        assertThat(raw.path("config").path("resources").path("memory_mb").asInt()).isEqualTo(384);
        List<String> history = cli.run("vms", "config", "history", "c5", "--limit", "2").outLines();
        assertThat(history).hasSize(3);
        assertThat(history.get(1)).matches("3 +\\S+ \\S+ +\\d+s +2 +384 MB");
        assertThat(history.get(2)).matches("2 +\\S+ \\S+ +\\d+s +1 +384 MB");
    }

    @Test
    void ac_c6_c7_deployment_create_list_scale_delete() throws Exception {
        Files.writeString(dir.resolve("web-config.json"),
                "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":512}}");
        assertThat(cli.run("deployments", "create", "web-cluster", "--config", "web-config.json", "--replicas",
                "5", "--wait").out()).isEqualTo("Deployment web-cluster created with 5 replicas\n");
        assertThat(cli.run("deployments", "list").outLines())
                .anyMatch(l -> l.matches("web-cluster +5 +5 +\\d+s"));

        assertThat(cli.run("deployments", "scale", "web-cluster", "2").out())
                .isEqualTo("Deployment web-cluster scaled to 2 replicas (ready 2)\n");
        JsonNode vms = json.readTree(cli.run("vms", "list", "-o", "json").out());
        assertThat(vms.findValuesAsText("name")).contains("web-cluster-1", "web-cluster-2")
                .doesNotContain("web-cluster-3");

        assertThat(cli.run("deployments", "delete", "web-cluster").out()).isEqualTo("Deployment web-cluster deleted\n");
        assertThat(cli.run("deployments", "get", "web-cluster").err())
                .isEqualTo("Error: deployment web-cluster not found\n");
    }

    @Test
    void ac_c8_plugin_listing_and_disabling() {
        assertThat(cli.run("plugins", "list").outLines()).contains("caddy   0.1.0     true      caddy");
        assertThat(cli.run("plugins", "disable", "caddy").out()).isEqualTo("Plugin caddy disabled\n");
        try {
            assertThat(cli.run("vms", "create", "off", "--plugin", "caddy").err())
                    .isEqualTo("Error: plugin caddy disabled (HTTP 409)\n");
        } finally {
            assertThat(cli.run("plugins", "enable", "caddy").out()).isEqualTo("Plugin caddy enabled\n");
        }
    }

    @Test
    void ac_c12_wrong_key_and_unknown_vm_are_one_line_errors() {
        Cli.Result wrong = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "nope").run("vms", "list");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).isEqualTo("Error: API key rejected by volantd (check VOLANT_API_KEY or --api-key)\n");

        Cli.Result ghost = cli.run("vms", "get", "ghost");
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err()).isEqualTo("Error: VM ghost not found\n");
    }

    @Test
    void suspend_and_resume_print_one_line_and_errors_name_the_vm() throws Exception {
        assertThat(cli.run("vms", "create", "sr", "--plugin", "caddy").exit()).isZero();
        JsonNode before = json.readTree(cli.run("vms", "get", "sr", "-o", "json").out());

        Cli.Result suspend = cli.run("vms", "suspend", "sr");
        assertThat(suspend.out()).as(suspend.err()).isEqualTo("VM sr suspended\n");
        assertThat(cli.run("vms", "get", "sr").out()).contains("Status: suspended\n").doesNotContain("PID:");
        Cli.Result again = cli.run("vms", "suspend", "sr");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("Error: vm sr already suspended (HTTP 409)\n");

        Cli.Result resume = cli.run("vms", "resume", "sr");
        assertThat(resume.out()).as(resume.err()).matches("VM sr resumed \\(PID \\d+\\)\n");
        JsonNode after = json.readTree(cli.run("vms", "get", "sr", "-o", "json").out());
        assertThat(after.get("ip_address")).isEqualTo(before.get("ip_address"));
        assertThat(after.get("mac_address")).isEqualTo(before.get("mac_address"));
        Cli.Result notSuspended = cli.run("vms", "resume", "sr");
        assertThat(notSuspended.err())
                .isEqualTo("Error: vm sr is not suspended (status running) (HTTP 409)\n");
        assertThat(cli.run("vms", "resume", "ghost").err()).isEqualTo("Error: VM ghost not found\n");
        assertThat(cli.run("help", "vms", "suspend").out()).contains("Save a running VM's whole state to disk");
    }

    @Test
    void events_follow_a_vm_created_by_another_command() {
        Cli.Live events = cli.start("events", "--vm", "ev", "--count", "2");
        // The stream is open once volantd has flushed its ": connected" comment; retry creation until an event
        // shows, so the test does not depend on the subscription racing the create.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (cli.run("vms", "get", "ev").exit() != 0) {
                cli.run("vms", "create", "ev", "--plugin", "caddy");
            } else if (events.out().toString().isEmpty()) {
                cli.run("vms", "restart", "ev");
            }
            return events.exit().isDone();
        });
        assertThat(events.out().toString().lines()).hasSize(2).allMatch(l -> l.contains(" ev "));
    }

    @Test
    void vms_scale_with_replicas_scales_the_deployment_of_that_name() throws Exception {
        Files.writeString(dir.resolve("u1.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        cli.run("deployments", "create", "upd", "--config", "u1.json", "--replicas", "2");

        assertThat(cli.run("vms", "scale", "upd", "--replicas", "3").out())
                .matches("Deployment upd scaled to 3 replicas \\(ready [0-3]\\)\n");
        assertThat(json.readTree(cli.run("deployments", "get", "upd", "-o", "json").out()).get("desired_replicas").asInt())
                .isEqualTo(3);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                json.readTree(cli.run("deployments", "get", "upd", "-o", "json").out()).get("ready_replicas").asInt() == 3);
    }

    @Test
    void ext1_deployments_update_with_only_a_config_rolls_every_replica_to_the_new_template() throws Exception {
        Files.writeString(dir.resolve("roll1.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        Files.writeString(dir.resolve("roll2.json"), "{\"config\":{\"plugin\":\"caddy\",\"resources\":"
                + "{\"cpu_cores\":2,\"memory_mb\":256}}}");
        assertThat(cli.run("deployments", "create", "roll", "--config", "roll1.json", "--replicas", "2", "--wait")
                .exit()).isZero();

        Cli.Result r = cli.run("deployments", "update", "roll", "--config", "roll2.json", "--wait");

        assertThat(r.err()).isEqualTo("deployment roll: 2/2 replicas ready\n");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("Deployment roll updated (2/2 ready)\n");
        JsonNode d = json.readTree(cli.run("deployments", "get", "roll", "-o", "json").out());
        assertThat(d.get("desired_replicas").asInt()).isEqualTo(2);
        assertThat(d.get("revision").asInt()).isEqualTo(2);
        assertThat(d.path("config").path("resources").path("cpu_cores").asInt()).isEqualTo(2);
        // The rollout replaces the outdated members; once it completes every replica runs the new template.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode vms = json.readTree(cli.run("vms", "list", "-o", "json").out());
            int updated = 0;
            for (JsonNode vm : vms) {
                if (vm.get("name").asText().startsWith("roll-")) {
                    if (vm.get("cpu_cores").asInt() != 2) {
                        return false;
                    }
                    updated++;
                }
            }
            return updated == 2;
        });
        assertThat(cli.run("deployments", "delete", "roll").exit()).isZero();
    }
}
