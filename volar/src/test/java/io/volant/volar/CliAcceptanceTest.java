package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volar.fake.FakeVolantd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI lines of api-and-cli.md §7 (AC-C1 to AC-C12), against the in-process fake volantd. */
class CliAcceptanceTest {
    private final ObjectMapper json = new ObjectMapper();
    private FakeVolantd volantd;
    private Cli cli;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        volantd = new FakeVolantd("");
        cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), TestManifests.CADDY);
        assertThat(cli.run("plugins", "install", "caddy.json").out()).isEqualTo("Plugin caddy 0.1.0 installed\n");
    }

    @AfterEach
    void stop() {
        volantd.close();
    }

    @Test
    void ac_c1_bare_volar_prints_help_and_unknown_commands_are_usage_errors() {
        Cli.Result help = cli.run();
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: volar").contains("vms").contains("deployments").contains("setup");

        Cli.Result nope = cli.run("nope");
        assertThat(nope.exit()).isEqualTo(2);
        assertThat(nope.err()).startsWith("Error: unknown command \"nope\" for \"volar\"\n");

        Cli.Result flag = cli.run("vms", "list", "--x");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).startsWith("Error: unknown flag: --x\n");

        Cli.Result nested = cli.run("help", "vms", "create");
        assertThat(nested.exit()).isZero();
        assertThat(nested.out()).startsWith("Usage: volar vms create").contains("--kernel-cmdline", "--initramfs");
        Cli.Result unknownHelp = cli.run("help", "vms", "nope");
        assertThat(unknownHelp.exit()).isEqualTo(2);
        assertThat(unknownHelp.err()).startsWith("Error: unknown command \"nope\" for \"volar vms\"");

        Cli.Result completion = cli.run("completion", "bash");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("deployments").contains("--replicas");
        assertThat(cli.run("completion", "zsh").out()).contains("bashcompinit");
    }

    @Test
    void ac_c2_vms_list_prints_no_vms_then_aligned_columns() {
        assertThat(cli.run("vms", "list").out()).isEqualTo("No VMs found\n");
        cli.run("vms", "create", "web", "--plugin", "caddy", "--cpu", "2", "--memory", "512");

        List<String> lines = cli.run("vms", "list").outLines();

        assertThat(lines.get(0)).isEqualTo(String.format("%-20s %-10s %-10s %-15s %-20s %-6s %s", "NAME", "STATUS",
                "RUNTIME", "IP", "MAC", "CPU", "MEM"));
        assertThat(lines.get(1)).isEqualTo(String.format("%-20s %-10s %-10s %-15s %-20s %-6s %s", "web", "running",
                "caddy", "192.168.127.2", "02:00:00:00:00:01", "2", "512"));
    }

    @Test
    void ac_c3_vms_create_prints_the_address_and_checks_the_plugin_locally() throws Exception {
        Cli.Result ok = cli.run("vms", "create", "web", "--plugin", "caddy", "--cpu", "2", "--memory", "512");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).matches("VM web created with IP 192\\.168\\.127\\.(\\d+)\n");
        assertThat(ok.out()).doesNotContain("192.168.127.1\n");

        int before = volantd.requests().size();
        Cli.Result none = cli.run("vms", "create", "web2");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("Error: plugin is required (flag or config file)\n");
        assertThat(volantd.requests()).hasSize(before);

        Files.writeString(dir.resolve("b.json"), "{\"plugin\":\"b\"}");
        Cli.Result mismatch = cli.run("vms", "create", "web3", "--plugin", "a", "--config", "b.json");
        assertThat(mismatch.err()).isEqualTo("Error: plugin mismatch between flag (a) and config (b)\n");
    }

    @Test
    void vms_create_sends_only_given_resources_so_the_manifest_defaults_apply() throws Exception {
        cli.run("vms", "create", "small", "--plugin", "caddy");

        JsonNode vm = json.readTree(cli.run("vms", "get", "small", "-o", "json").out());
        assertThat(vm.get("cpu_cores").asInt()).isEqualTo(1);
        assertThat(vm.get("memory_mb").asInt()).isEqualTo(512);
        JsonNode body = json.readTree(volantd.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/api/v1/vms")).findFirst().orElseThrow()
                .body());
        assertThat(body.has("cpu_cores")).isFalse();
        assertThat(body.has("config")).isFalse();
    }

    @Test
    void vms_create_overrides_become_a_vm_config() throws Exception {
        Cli.Result r = cli.run("vms", "create", "k", "--plugin", "caddy", "--kernel-cmdline", "quiet",
                "--kernel", "kern/bzImage", "--initramfs", "https://h/i.cpio.gz", "--initramfs-checksum",
                "sha256:" + "a".repeat(64), "--device", "0000:01:00.0,0000:02:00.0", "--device-allowlist", "10de:*");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode cfg = json.readTree(cli.run("vms", "config", "get", "k").out());
        assertThat(cfg.get("kernel_override").asText()).isEqualTo(dir.resolve("kern/bzImage").toString());
        assertThat(cfg.get("initramfs").get("url").asText()).isEqualTo("https://h/i.cpio.gz");
        assertThat(cfg.path("devices").path("pci_passthrough").toString())
                .isEqualTo("[\"0000:01:00.0\",\"0000:02:00.0\"]");
        assertThat(cfg.path("devices").path("allowlist").toString()).isEqualTo("[\"10de:*\"]");
        assertThat(cfg.path("manifest").path("name").asText()).isEqualTo("caddy");
        assertThat(json.readTree(cli.run("vms", "get", "k", "-o", "json").out()).get("kernel_cmdline").asText())
                .endsWith(" quiet");

        Cli.Result bad = cli.run("vms", "create", "k2", "--plugin", "caddy", "--initramfs-checksum", "x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("Error: --initramfs-checksum requires --initramfs\n");
    }

    @Test
    void ac_c4_vms_scale_requires_something_to_change() {
        Cli.Result r = cli.run("vms", "scale", "web");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: specify --cpu/--memory or --replicas to update\n");
    }

    @Test
    void ac_c5_config_get_raw_history_limit_and_set_requires_a_file() throws Exception {
        cli.run("vms", "create", "web", "--plugin", "caddy", "--cpu", "2", "--memory", "512");
        cli.run("vms", "scale", "web", "--cpu", "3");
        Files.writeString(dir.resolve("patch.json"), "{\"config\":{\"resources\":{\"memory_mb\":1024}}}");
        Cli.Result set = cli.run("vms", "config", "set", "web", "--file", "patch.json");
        assertThat(set.out()).isEqualTo("VM web configuration updated (version 3)\n");

        JsonNode raw = json.readTree(cli.run("vms", "config", "get", "web", "--raw").out());
        assertThat(raw.has("version")).isTrue();
        assertThat(raw.has("updated_at")).isTrue();
        assertThat(raw.path("config").path("resources").path("memory_mb").asInt()).isEqualTo(1024);
        assertThat(raw.path("config").path("resources").path("cpu_cores").asInt()).isEqualTo(3);

        List<String> history = cli.run("vms", "config", "history", "web", "--limit", "2").outLines();
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).matches("Version 3\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\tCPU=3\tMemory=1024 MB");
        assertThat(history.get(1)).startsWith("Version 2\t");

        Cli.Result noFile = cli.run("vms", "config", "set", "web");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).startsWith("Error: --file is required\n");

        cli.run("vms", "config", "get", "web", "--output", "cfg.json");
        assertThat(json.readTree(Files.readString(dir.resolve("cfg.json"))).path("plugin").asText()).isEqualTo("caddy");
    }

    @Test
    void ac_c6_deployment_from_the_readme_and_config_is_required() throws Exception {
        Files.writeString(dir.resolve("web-config.json"),
                "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":512}}");
        Cli.Result r = cli.run("deployments", "create", "web-cluster", "--config", "web-config.json",
                "--replicas", "5");
        assertThat(r.out()).isEqualTo("Deployment web-cluster created with 5 replicas\n");

        List<String> list = cli.run("deployments", "list").outLines();
        assertThat(list).containsExactly(String.format("%-20s %-10s %s", "NAME", "DESIRED", "READY"),
                String.format("%-20s %-10s %s", "web-cluster", "5", "5"));

        Cli.Result none = cli.run("deployments", "create", "x");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("Error: --config is required\n");
    }

    @Test
    void ac_c7_scale_rejects_bad_counts_and_delete_confirms() throws Exception {
        Files.writeString(dir.resolve("web.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        cli.run("deployments", "create", "web", "--config", "web.json");
        assertThat(cli.run("deployments", "scale", "web", "5").out())
                .isEqualTo("Deployment web scaled to 5 replicas (ready 5)\n");
        Cli.Result bad = cli.run("deployments", "scale", "web", "abc");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("Error: replicas must be a non-negative integer\n");
        assertThat(cli.run("deployments", "scale", "web", "-1").err())
                .startsWith("Error: replicas must be a non-negative integer\n");
        assertThat(cli.run("deployments", "delete", "web").out()).isEqualTo("Deployment web deleted\n");
    }

    @Test
    void deployments_wait_returns_once_every_replica_is_ready() throws Exception {
        Files.writeString(dir.resolve("web.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        Cli.Result r = cli.run("deployments", "create", "web", "--config", "web.json", "--replicas", "2", "--wait",
                "--wait-timeout", "30s");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(cli.run("deployments", "scale", "web", "3", "--wait").out())
                .isEqualTo("Deployment web scaled to 3 replicas (ready 3)\n");
    }

    @Test
    void ac_c8_plugins_list_disable_and_install_without_source() {
        List<String> list = cli.run("plugins", "list").outLines();
        assertThat(list).containsExactly(String.format("%-20s %-10s %-8s %s", "NAME", "VERSION", "ENABLED", "RUNTIME"),
                String.format("%-20s %-10s %-8s %s", "caddy", "0.1.0", "true", "caddy"));

        assertThat(cli.run("plugins", "disable", "caddy").out()).isEqualTo("Plugin caddy disabled\n");
        assertThat(cli.run("plugins", "list").out()).contains("false");
        Cli.Result manifest = cli.run("plugins", "manifest", "caddy");
        assertThat(manifest.err()).isEqualTo("Error: plugin disabled (HTTP 409)\n");
        assertThat(cli.run("plugins", "enable", "caddy").out()).isEqualTo("Plugin caddy enabled\n");

        Cli.Result none = cli.run("plugins", "install");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err())
                .isEqualTo("Error: provide a manifest via --manifest, --url, or positional argument\n");

        assertThat(cli.run("plugins", "remove", "caddy").out()).isEqualTo("Plugin caddy removed\n");
        assertThat(cli.run("plugins", "list").out()).isEqualTo("No plugins installed\n");
    }

    @Test
    void ac_c10_operations_table_and_call_through_the_agent_proxy() {
        cli.run("vms", "create", "web", "--plugin", "caddy");
        volantd.openapi("web", """
                openapi: 3.0.3
                info: {title: caddy, version: "1"}
                paths:
                  /status:
                    get:
                      operationId: getStatus
                      summary: Current status of the workload, reported by the workload itself for humans
                  /missing:
                    get:
                      operationId: getMissing
                """);

        List<String> ops = cli.run("vms", "operations", "web").outLines();
        assertThat(ops.get(0)).isEqualTo(String.format("%-30s %-8s %-40s %s", "OPERATION ID", "METHOD", "PATH",
                "SUMMARY"));
        assertThat(ops.get(1)).isEqualTo("-".repeat(120));
        assertThat(ops.get(2)).startsWith("getMissing");
        assertThat(ops.get(3)).endsWith("Current status of the workload, reported by the...");

        Cli.Result call = cli.run("vms", "call", "web", "getstatus");
        assertThat(call.exit()).as(call.err()).isZero();
        assertThat(call.out()).startsWith("HTTP 200\n{\n  \"status\": \"ok\"");
        assertThat(volantd.requests().getLast().path()).isEqualTo("/api/v1/vms/web/agent/v1/status");

        Cli.Result missing = cli.run("vms", "call", "web", "getMissing");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("HTTP 404\n");

        assertThat(cli.run("vms", "call", "web", "nope").err()).isEqualTo("Error: operation \"nope\" not found\n");
    }

    @Test
    void ac_c11_setup_dry_run_prints_the_plan_and_a_real_run_needs_root() {
        Cli.Result dry = cli.run("setup", "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.outLines().getFirst()).isEqualTo("Commands executed:");
        assertThat(dry.outLines()).contains("  ip link add vbr0 type bridge",
                "  ip addr replace 192.168.127.1/24 dev vbr0",
                "  iptables -t nat -A POSTROUTING -s 192.168.127.0/24 ! -o vbr0 -j MASQUERADE");
        assertThat(dry.outLines().getLast())
                .isEqualTo("Dry run complete. Re-run without --dry-run as root to apply changes.");

        Cli.Result real = cli.run("setup");
        assertThat(real.exit()).isEqualTo(1);
        assertThat(real.err()).isEqualTo("Error: volar setup must be run as root (use --dry-run to preview)\n");

        Cli.Result documented = cli.run("setup", "--dry-run", "--work-dir", "/var/lib/volant", "--bridge", "vbr0",
                "--subnet", "192.168.127.0/24", "--host-ip", "192.168.127.1", "--bzimage", "/k/bzImage",
                "--vmlinux", "/k/vmlinux");
        assertThat(documented.exit()).isZero();
        assertThat(documented.outLines()).contains("  mkdir -p /k");
    }

    @Test
    void ac_c12_api_flag_beats_the_environment_and_server_down_is_one_line() {
        Cli.Result down = new Cli().run("vms", "list");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).startsWith("Error: cannot reach volantd at http://127.0.0.1:7777: ");
        assertThat(down.err().lines()).hasSize(1);

        Cli.Result flag = new Cli().api("http://127.0.0.1:1").run("--api", volantd.base(), "vms", "list");
        assertThat(flag.exit()).as(flag.err()).isZero();
        Cli.Result inherited = new Cli().api("http://127.0.0.1:1").run("vms", "list", "-a", volantd.base());
        assertThat(inherited.exit()).as(inherited.err()).isZero();
    }

    @Test
    void vms_lifecycle_commands_print_their_lines() {
        cli.run("vms", "create", "web", "--plugin", "caddy");
        assertThat(cli.run("vms", "stop", "web").out()).isEqualTo("VM web stopped\n");
        assertThat(cli.run("vms", "start", "web").out()).isEqualTo("VM web started (PID 4001)\n");
        assertThat(cli.run("vms", "start", "web").err())
                .isEqualTo("Error: orchestrator: vm web already running (HTTP 409)\n");
        assertThat(cli.run("vms", "restart", "web").out()).isEqualTo("VM web restarted (PID 5001)\n");
        List<String> get = cli.run("vms", "get", "web").outLines();
        assertThat(get).startsWith("Name: web", "Status: running", "Runtime: caddy", "IP: 192.168.127.2",
                "MAC: 02:00:00:00:00:01", "CPU: 1", "Memory: 512 MB", "PID: 5001");
        assertThat(cli.run("vms", "action", "web", "reload").out()).contains("\"status\": \"done\"");
        assertThat(cli.run("vms", "delete", "web").out()).isEqualTo("VM web deleted\n");
    }

    @Test
    void yaml_output_prints_the_api_object() {
        cli.run("vms", "create", "web", "--plugin", "caddy");
        Cli.Result r = cli.run("vms", "get", "web", "-o", "yaml");
        assertThat(r.out()).contains("name: web\n").contains("status: running\n").doesNotStartWith("---");
        assertThat(cli.run("plugins", "list", "-o", "yaml").out()).startsWith("- schema_version:");
        Cli.Result bad = cli.run("vms", "list", "-o", "xml");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("Error: invalid output format \"xml\" (expected table, json or yaml)\n");
    }

    @Test
    void deployments_update_sends_the_new_template_and_strategy() throws Exception {
        Files.writeString(dir.resolve("u1.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        Files.writeString(dir.resolve("u2.json"), "{\"config\":{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,"
                + "\"memory_mb\":256}}}");
        cli.run("deployments", "create", "upd", "--config", "u1.json", "--replicas", "2");

        Cli.Result r = cli.run("deployments", "update", "upd", "--config", "u2.json", "--max-surge", "1",
                "--max-unavailable", "0");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deployment upd updated (2/2 ready)\n");
        JsonNode body = json.readTree(volantd.requests().stream()
                .filter(q -> q.method().equals("PATCH") && q.path().equals("/api/v1/deployments/upd"))
                .reduce((a, b) -> b).orElseThrow().body());
        assertThat(body.path("config").path("resources").path("cpu_cores").asInt()).isEqualTo(2);
        assertThat(body.path("strategy").toString()).isEqualTo("{\"max_surge\":1,\"max_unavailable\":0}");
        assertThat(body.has("replicas")).isFalse();
        for (JsonNode vm : json.readTree(cli.run("vms", "list", "-o", "json").out())) {
            assertThat(vm.get("cpu_cores").asInt()).isEqualTo(2);
        }
    }

    @Test
    void vms_scale_with_replicas_scales_the_deployment_of_that_name() throws Exception {
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        cli.run("deployments", "create", "d", "--config", "d.json", "--replicas", "1");
        assertThat(cli.run("vms", "scale", "d", "--replicas", "2").out())
                .isEqualTo("Deployment d scaled to 2 replicas (ready 2)\n");
    }

    @Test
    void wait_polls_until_the_last_replica_is_ready() throws Exception {
        Files.writeString(dir.resolve("w.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        volantd.holdReadiness(true);

        Cli.Live run = cli.start("deployments", "create", "w", "--config", "w.json", "--replicas", "2", "--wait");
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> volantd.gets("/api/v1/deployments/w") >= 2);
        assertThat(run.exit()).isNotDone();
        volantd.releaseReadiness();

        Cli.Result r = run.result(java.time.Duration.ofSeconds(20));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deployment w created with 2 replicas\n");
    }

    @Test
    void wait_gives_up_after_the_timeout_naming_the_counts() throws Exception {
        Files.writeString(dir.resolve("w.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        volantd.holdReadiness(true);

        Cli.Result r = cli.run("deployments", "create", "w", "--config", "w.json", "--replicas", "2", "--wait",
                "--wait-timeout", "1s");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("Error: timed out after 1s waiting for deployment w: 0/2 replicas ready\n");
    }
}
