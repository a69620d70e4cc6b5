package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import io.volant.volar.cli.CliEnvironment;
import io.volant.volar.client.Json;
import io.volant.volar.output.Format;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Issue 17 rows 1-11 (help, names, output formats), a test per row; rows 12-25 are {@link CliSafetyTest}'s.
 */
class CliUsabilityTest extends UsabilityFixture {
    @Test
    void row01_help_prints_and_exits_0_at_every_level() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(env()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(30);
        for (List<String> path : paths) {
            for (String flag : List.of("-h", "--help")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Cli.Result r = cli.run(args.toArray(String[]::new));
                assertThat(r.exit()).as(args + ": " + r.err()).isZero();
                assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: volar");
            }
        }
    }

    @Test
    void row02_aliases_work_and_typos_get_a_suggestion() {
        vm("a1");
        assertThat(cli.run("vm", "ls").out()).contains("a1");
        assertThat(cli.run("vms", "ls", "-o", "name").out()).isEqualTo("a1\n");
        assertThat(cli.run("deploy", "ls").exit()).isZero();
        Cli.Result typo = cli.run("vms", "lsit");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).startsWith("Error: unknown command \"lsit\" for \"volar vms\" (did you mean \"list\"");
        Cli.Result top = cli.run("deploymnts");
        assertThat(top.err()).contains("did you mean \"deployments\"");
        Cli.Result rm = cli.run("vms", "rm", "a1", "--yes");
        assertThat(rm.out()).isEqualTo("VM a1 deleted\n");
    }

    @Test
    void row03_an_unknown_format_is_an_error_and_files_are_written_only_with_output_file() throws Exception {
        vm("c1");
        for (String[] args : List.of(new String[] {"vms", "config", "get", "c1", "-o", "bogus"},
                new String[] {"deployments", "get", "x", "-o", "out.json"})) {
            Cli.Result r = cli.run(args);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("Error: invalid output format \"");
        }
        Cli.Result wide = cli.run("vms", "config", "get", "c1", "-o", "wide");
        assertThat(wide.exit()).isZero();
        assertThat(mapper.readTree(wide.out()).path("plugin").asText()).isEqualTo("caddy");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("wide", "bogus", "out.json");
        }
        assertThat(cli.run("vms", "config", "get", "c1", "--output-file", "c1.json").out()).isEmpty();
        assertThat(mapper.readTree(Files.readString(dir.resolve("c1.json"))).path("plugin").asText())
                .isEqualTo("caddy");
    }

    @Test
    void row04_config_get_prints_the_same_object_in_every_format() throws Exception {
        vm("c4");
        JsonNode table = mapper.readTree(cli.run("vms", "config", "get", "c4").out());
        JsonNode json = mapper.readTree(cli.run("vms", "config", "get", "c4", "-o", "json").out());
        JsonNode yaml = new YAMLMapper().readTree(cli.run("vms", "config", "get", "c4", "-o", "yaml").out());
        assertThat(json).isEqualTo(table);
        assertThat(yaml).isEqualTo(table);
        assertThat(json.has("plugin")).isTrue();
        JsonNode raw = mapper.readTree(cli.run("vms", "config", "get", "c4", "--raw", "-o", "json").out());
        assertThat(raw.path("config")).isEqualTo(table);
    }

    @Test
    void row05_one_set_of_formats_and_one_message() {
        Cli.Result table = cli.run("plugins", "get", "caddy", "-o", "table");
        assertThat(table.out()).startsWith("Name: caddy\nVersion: 0.1.0\n").doesNotContain("{");
        assertThat(cli.run("plugins", "show", "caddy", "-o", "table").out()).isEqualTo(table.out());
        String listError = cli.run("vms", "list", "-o", "xml").err().lines().findFirst().orElseThrow();
        String showError = cli.run("plugins", "get", "caddy", "-o", "xml").err().lines().findFirst().orElseThrow();
        assertThat(listError).isEqualTo(showError)
                .isEqualTo("Error: invalid output format \"xml\" (expected " + Format.NAMES + ")");
        assertThat(cli.run("plugins", "get", "--help").out()).contains(Format.NAMES);
        assertThat(cli.run("vms", "list", "--help").out()).contains(Format.NAMES);
    }

    @Test
    void row06_yaml_keeps_strings_that_look_like_numbers_or_booleans_strings() throws Exception {
        JsonNode plugin = new YAMLMapper().readTree(cli.run("plugins", "get", "caddy", "-o", "yaml").out());
        assertThat(plugin.path("schema_version").isTextual()).isTrue();
        assertThat(plugin.path("schema_version").asText()).isEqualTo("1.0");
        Json json = new Json();
        JsonNode tricky = json.parse("{\"a\":\"1.0\",\"b\":\"true\",\"c\":\"null\",\"d\":\"0x1F\",\"e\":\"012\","
                + "\"f\":\"1e3\",\"g\":\"~\",\"h\":\"yes\",\"n\":1.5,\"t\":true}");
        assertThat(new YAMLMapper().readTree(json.yaml(tricky))).isEqualTo(tricky);
    }

    @Test
    void row07_wide_and_name_on_every_list() throws Exception {
        vm("w1");
        assertThat(cli.run("vms", "list", "-o", "wide").outLines().getFirst()).contains("PID", "DEPLOYMENT", "AGE");
        assertThat(cli.run("vms", "list", "-o", "name").out()).isEqualTo("w1\n");
        assertThat(cli.run("plugins", "list", "-o", "name").out()).isEqualTo("caddy\n");
        assertThat(cli.run("plugins", "list", "-o", "wide").outLines().getFirst()).contains("DESCRIPTION");
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
        assertThat(cli.run("deployments", "create", "d7", "--config", "d.json").exit()).isZero();
        assertThat(cli.run("deployments", "list", "-o", "name").out()).isEqualTo("d7\n");
        assertThat(cli.run("deployments", "list", "-o", "wide").outLines().getFirst()).contains("REVISION");
        assertThat(cli.run("vms", "config", "history", "w1", "-o", "name").out()).isEqualTo("1\n");
        assertThat(cli.run("plugins", "artifacts", "list", "caddy", "-o", "wide").exit()).isZero();
    }

    @Test
    void row08_columns_are_sized_to_content() {
        String longName = "a-very-long-virtual-machine-name-of-40ch";
        assertThat(longName).hasSize(40);
        vm(longName);
        vm("b");
        List<String> lines = cli.run("vms", "list").outLines();
        int status = lines.getFirst().indexOf("STATUS");
        assertThat(status).isEqualTo(40 + 3);
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l.substring(status)).startsWith("running"));
    }

    @Test
    void row09_lists_have_age_columns_headers_and_readable_times() throws Exception {
        vm("t1");
        List<String> vms = cli.run("vms", "list").outLines();
        assertThat(vms.getFirst()).endsWith("AGE");
        assertThat(vms.get(1)).matches(".*\\d+[smhd]$");
        List<String> history = cli.run("vms", "config", "history", "t1").outLines();
        assertThat(history.getFirst()).matches("VERSION +UPDATED +AGE +CPU +MEMORY");
        assertThat(history.get(1)).matches("1 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\d+[smhd] +1 +512 MB");
        Cli.Live events = cli.start("events", "--count", "1");
        await().atMost(LIMIT).untilAsserted(() -> {
            vm("t" + System.nanoTime());
            assertThat(events.exit()).isDone();
        });
        assertThat(events.result(LIMIT).out()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ VM_\\w+ t\\d+.*\n");
    }

    @Test
    void row10_deployments_get_is_a_summary_and_json_on_request() throws Exception {
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
        assertThat(cli.run("deployments", "create", "web", "--config", "d.json", "--replicas", "2").exit()).isZero();
        List<String> summary = cli.run("deployments", "get", "web").outLines();
        assertThat(summary).hasSizeLessThan(12);
        assertThat(summary.getFirst()).isEqualTo("Name: web");
        assertThat(summary.get(1)).matches("Replicas: \\d/2 ready, \\d up to date");
        assertThat(summary).contains("Plugin: caddy (runtime caddy)");
        JsonNode json = mapper.readTree(cli.run("deployments", "get", "web", "-o", "json").out());
        assertThat(json.path("desired_replicas").asInt()).isEqualTo(2);
        assertThat(json.path("config").path("plugin").asText()).isEqualTo("caddy");
    }

    @Test
    void row11_one_verb_set_and_output_option_on_changes() throws Exception {
        JsonNode created = mapper.readTree(cli.run("vms", "create", "v1", "--plugin", "caddy", "-o", "json").out());
        assertThat(created.path("name").asText()).isEqualTo("v1");
        assertThat(cli.run("vms", "stop", "v1", "-o", "name").out()).isEqualTo("v1\n");
        assertThat(mapper.readTree(cli.run("vms", "start", "v1", "-o", "json").out()).path("status").asText())
                .isIn("running", "starting");
        assertThat(cli.run("plugins", "get", "caddy", "-o", "name").out()).isEqualTo("caddy\n");
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
        assertThat(mapper.readTree(cli.run("deployments", "create", "d", "--config", "d.json", "-o", "json").out())
                .path("desired_replicas").asInt()).isEqualTo(1);
        assertThat(mapper.readTree(cli.run("deployments", "scale", "d", "2", "-o", "json").out())
                .path("desired_replicas").asInt()).isEqualTo(2);
        assertThat(mapper.readTree(cli.run("vms", "delete", "v1", "-o", "json").out()).path("name").asText())
                .isEqualTo("v1");
        Cli.Live events = cli.start("events", "-o", "json", "--count", "1");
        await().atMost(LIMIT).untilAsserted(() -> {
            vm("e" + System.nanoTime());
            assertThat(events.exit()).isDone();
        });
        assertThat(mapper.readTree(events.result(LIMIT).out()).path("type").asText()).startsWith("VM_");
    }
}
