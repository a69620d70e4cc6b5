package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volar.fake.RecordingProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI acceptance lines of api-and-cli.md §7 (AC-C1 to AC-C12) against a real in-process volantd (simulated
 * backend) behind a {@link RecordingProxy}, so tests can also assert the exact requests volar sent.
 */
class CliAcceptanceTest {
    private final ObjectMapper json = new ObjectMapper();
    private RealVolantd real;
    private RecordingProxy volantd;
    private Cli cli;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, String> env) throws Exception {
        stop();
        real = new RealVolantd(Files.createTempDirectory(dir, "volantd"), env);
        volantd = new RecordingProxy(real.base());
        cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), real.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").out()).isEqualTo("Plugin caddy 0.1.0 installed\n");
    }

    @AfterEach
    void stop() {
        if (volantd != null) {
            volantd.close();
            real.close();
            volantd = null;
        }
    }

    @Test
    void ac_c1_bare_volar_prints_help_and_unknown_commands_are_usage_errors() {
        Cli.Result help = cli.run();
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: volar").contains("vms").contains("deployments").contains("setup");

        // A name with no near command: "nope" would now get "(did you mean "nodes"?)" on the same line.
        Cli.Result nope = cli.run("qqqq");
        assertThat(nope.exit()).isEqualTo(2);
        assertThat(nope.err()).startsWith("Error: unknown command \"qqqq\" for \"volar\"\n");

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
    void ac_c2_vms_list_prints_no_vms_then_aligned_columns() throws Exception {
        Cli.Result empty = cli.run("vms", "list");
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).isEqualTo("No VMs found\n");
        cli.run("vms", "create", "web", "--plugin", "caddy", "--cpu", "2", "--memory", "512");

        List<String> lines = cli.run("vms", "list").outLines();

        // Columns sized to content, three spaces apart (issue 17 row 8).
        JsonNode vm = json.readTree(cli.run("vms", "get", "web", "-o", "json").out());
        String ip = vm.get("ip_address").asText();
        String mac = vm.get("mac_address").asText();
        String f = "%-4s   %-7s   %-7s   %-" + ip.length() + "s   %-" + mac.length() + "s   %-3s   %-3s   %s";
        assertThat(lines.get(0)).isEqualTo(String.format(f, "NAME", "STATUS", "RUNTIME", "IP", "MAC", "CPU", "MEM",
                "AGE"));
        assertThat(lines.get(1)).matches(java.util.regex.Pattern.quote(String.format(f, "web", "running", "caddy", ip,
                mac, "2", "512", "")) + "\\d+s");
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
        JsonNode body = json.readTree(volantd.requests("POST", "/api/v1/vms").getFirst().body());
        assertThat(body.has("cpu_cores")).isFalse();
        assertThat(body.has("config")).isFalse();
    }

    @Test
    void vms_create_overrides_become_a_vm_config() throws Exception {
        Files.createDirectories(dir.resolve("kern"));
        Files.writeString(dir.resolve("kern/bzImage"), "");
        cli.run("vms", "create", "k", "--plugin", "caddy", "--kernel-cmdline", "quiet",
                "--kernel", "kern/bzImage", "--initramfs", "https://h/i.cpio.gz", "--initramfs-checksum",
                "sha256:" + "a".repeat(64), "--device", "0000:01:00.0,0000:02:00.0", "--device-allowlist", "10de:*");

        // The simulated backend checks boot media it cannot fetch, so this asserts what volar sent.
        JsonNode body = json.readTree(volantd.requests("POST", "/api/v1/vms").getLast().body());
        assertThat(body.get("kernel_cmdline").asText()).isEqualTo("quiet");
        JsonNode cfg = body.get("config");
        assertThat(cfg.get("kernel_override").asText()).isEqualTo(dir.resolve("kern/bzImage").toString());
        assertThat(cfg.get("initramfs").get("url").asText()).isEqualTo("https://h/i.cpio.gz");
        assertThat(cfg.get("initramfs").get("checksum").asText()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(cfg.path("devices").path("pci_passthrough").toString())
                .isEqualTo("[\"0000:01:00.0\",\"0000:02:00.0\"]");
        assertThat(cfg.path("devices").path("allowlist").toString()).isEqualTo("[\"10de:*\"]");
        assertThat(cfg.path("manifest").path("name").asText()).isEqualTo("caddy");

        Cli.Result bad = cli.run("vms", "create", "k2", "--plugin", "caddy", "--initramfs-checksum", "x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("Error: --initramfs-checksum requires --initramfs\n");
    }

    @Test
    void ac_c4_vms_scale_requires_something_to_change() {
        Cli.Result r = cli.run("vms", "scale", "web");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Error: specify --cpu/--memory or --replicas to update\n");
    }

    @Test
    void ac_c5_config_get_raw_history_limit_and_set_requires_a_file() throws Exception {
        cli.run("vms", "create", "web", "--plugin", "caddy", "--cpu", "2", "--memory", "512");
        cli.run("vms", "scale", "web", "--cpu", "3");
        Files.writeString(dir.resolve("patch.json"), "{\"config\":{\"resources\":{\"memory_mb\":1024}}}");
        Cli.Result set = cli.run("vms", "config", "patch", "web", "--file", "patch.json");
        assertThat(set.out()).isEqualTo("VM web configuration updated (version 3)\n");

        JsonNode raw = json.readTree(cli.run("vms", "config", "get", "web", "--raw").out());
        assertThat(raw.has("version")).isTrue();
        assertThat(raw.has("updated_at")).isTrue();
        assertThat(raw.path("config").path("resources").path("memory_mb").asInt()).isEqualTo(1024);
        assertThat(raw.path("config").path("resources").path("cpu_cores").asInt()).isEqualTo(3);

        List<String> history = cli.run("vms", "config", "history", "web", "--limit", "2").outLines();
        assertThat(history).hasSize(3); // header, versions 3 and 2
        assertThat(history.get(1)).matches("3 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\d+s +3 +1024 MB");
        assertThat(history.get(2)).startsWith("2 ");

        Cli.Result noFile = cli.run("vms", "config", "set", "web");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).startsWith("Error: --file is required\n");

        cli.run("vms", "config", "get", "web", "--output-file", "cfg.json");
        assertThat(json.readTree(Files.readString(dir.resolve("cfg.json"))).path("plugin").asText()).isEqualTo("caddy");
    }

    @Test
    void ac_c6_deployment_from_the_readme_and_config_is_required() throws Exception {
        Files.writeString(dir.resolve("web-config.json"),
                "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":2,\"memory_mb\":512}}");
        Cli.Result r = cli.run("deployments", "create", "web-cluster", "--config", "web-config.json",
                "--replicas", "5", "--wait");
        assertThat(r.out()).isEqualTo("Deployment web-cluster created with 5 replicas\n");

        List<String> list = cli.run("deployments", "list").outLines();
        assertThat(list).hasSize(2);
        assertThat(list.get(0)).matches("NAME +DESIRED +READY +AGE +STATUS");
        assertThat(list.get(1)).matches("web-cluster +5 +5 +\\d+s +Available");

        Cli.Result none = cli.run("deployments", "create", "x");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("Error: --config is required\n");
    }

    @Test
    void ac_c7_scale_rejects_bad_counts_and_delete_confirms() throws Exception {
        Files.writeString(dir.resolve("web.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        cli.run("deployments", "create", "web", "--config", "web.json");
        assertThat(cli.run("deployments", "scale", "web", "5", "--wait").out())
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
        assertThat(r.err()).contains("deployment web: 2/2 replicas ready\n"); // plain progress lines when piped
        assertThat(cli.run("deployments", "scale", "web", "3", "--wait").out())
                .isEqualTo("Deployment web scaled to 3 replicas (ready 3)\n");
    }

    @Test
    void ac_c8_plugins_list_disable_and_install_without_source() {
        List<String> list = cli.run("plugins", "list").outLines();
        assertThat(list).containsExactly("NAME    VERSION   ENABLED   RUNTIME", "caddy   0.1.0     true      caddy");

        assertThat(cli.run("plugins", "disable", "caddy").out()).isEqualTo("Plugin caddy disabled\n");
        assertThat(cli.run("plugins", "list").out()).contains("false");
        Cli.Result manifest = cli.run("plugins", "manifest", "caddy");
        assertThat(manifest.err()).isEqualTo("Error: plugin disabled (HTTP 409)\n");
        assertThat(cli.run("plugins", "enable", "caddy").out()).isEqualTo("Plugin caddy enabled\n");

        Cli.Result none = cli.run("plugins", "install");
        assertThat(none.exit()).isEqualTo(2); // a usage mistake (issue 17 row 17)
        assertThat(none.err())
                .startsWith("Error: provide a manifest via --manifest, --url, or positional argument\n");

        assertThat(cli.run("plugins", "remove", "caddy").out()).isEqualTo("Plugin caddy removed\n");
        assertThat(cli.run("plugins", "list").err()).isEqualTo("No plugins installed\n");
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
        assertThat(cli.run("vms", "start", "web").out()).matches("VM web started \\(PID \\d+\\)\n");
        assertThat(cli.run("vms", "start", "web").out()).isEqualTo("VM web is already running\n");
        Cli.Result restart = cli.run("vms", "restart", "web");
        assertThat(restart.out()).matches("VM web restarted \\(PID \\d+\\)\n");
        String pid = restart.out().replaceAll("\\D+", "");
        List<String> get = cli.run("vms", "get", "web").outLines();
        assertThat(get.subList(0, 3)).containsExactly("Name: web", "Status: running", "Runtime: caddy");
        assertThat(get).contains("CPU: 1", "Memory: 512 MB", "PID: " + pid);
        assertThat(get.get(3)).matches("IP: 192\\.168\\.127\\.\\d+");
        assertThat(cli.run("vms", "action", "web", "none").err())
                .isEqualTo("Error: action none not found (HTTP 404)\n");
        assertThat(volantd.requests().getLast().path()).isEqualTo("/api/v1/vms/web/actions/caddy/none");
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
        assertThat(bad.err()).startsWith("Error: invalid output format \"xml\" (expected table, wide, json, yaml or name)\n");
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
        assertThat(r.out()).matches("Deployment upd updated \\([0-2]/2 ready\\)\n");
        JsonNode body = json.readTree(volantd.requests("PATCH", "/api/v1/deployments/upd").getLast().body());
        assertThat(body.path("config").path("resources").path("cpu_cores").asInt()).isEqualTo(2);
        assertThat(body.path("strategy").toString()).isEqualTo("{\"max_surge\":1,\"max_unavailable\":0}");
        assertThat(body.has("replicas")).isFalse();
        assertThat(json.readTree(cli.run("deployments", "get", "upd", "-o", "json").out()).get("revision").asInt())
                .isEqualTo(2);
    }

    @Test
    void vms_scale_with_replicas_scales_the_deployment_of_that_name() throws Exception {
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");
        cli.run("deployments", "create", "d", "--config", "d.json", "--replicas", "1");
        assertThat(cli.run("vms", "scale", "d", "--replicas", "2").out())
                .matches("Deployment d scaled to 2 replicas \\(ready [0-2]\\)\n");
        assertThat(json.readTree(volantd.requests("PATCH", "/api/v1/deployments/d").getLast().body()).toString())
                .isEqualTo("{\"replicas\":2}");
    }

    @Test
    void wait_polls_until_the_last_replica_is_ready() throws Exception {
        start(Map.of("VOLANT_SIMULATED_HEALTH", "unhealthy")); // replicas start, but are not ready (EXTENSION C)
        Files.writeString(dir.resolve("w.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");

        Cli.Live run = cli.start("deployments", "create", "w", "--config", "w.json", "--replicas", "2", "--wait");
        await().atMost(Duration.ofSeconds(20)).until(() -> volantd.requests("GET", "/api/v1/deployments/w").size() >= 2);
        assertThat(run.exit()).isNotDone();
        for (String vm : List.of("w-1", "w-2")) {
            healthy(vm);
        }

        Cli.Result r = run.result(Duration.ofSeconds(60));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deployment w created with 2 replicas\n");
    }

    @Test
    void wait_gives_up_after_the_timeout_naming_the_counts() throws Exception {
        start(Map.of("VOLANT_SIMULATED_HEALTH", "unhealthy"));
        Files.writeString(dir.resolve("w.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":256}}");

        Cli.Result r = cli.run("deployments", "create", "w", "--config", "w.json", "--replicas", "2", "--wait",
                "--wait-timeout", "1s");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).endsWith("Error: timed out after 1s waiting for deployment w: 0/2 replicas ready; 2 running "
                + "replicas not healthy yet (agent health check); rollout: 2 of 2 replicas at revision 1\n");
    }

    @Test
    void an_injected_server_failure_is_one_line_with_the_status() {
        volantd.inject("GET", "/api/v1/vms", 500, "{\"error\":\"failed to list vms\"}");
        Cli.Result r = cli.run("vms", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Error: failed to list vms (HTTP 500)\n");
    }

    /** The simulated agent of {@code vm} reports healthy from now on (host-runtime.md §9.8 test control). */
    private void healthy(String vm) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(real.base() + "/api/v1/simulated/vms/" + vm + "/health"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"healthy\":true}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
}
