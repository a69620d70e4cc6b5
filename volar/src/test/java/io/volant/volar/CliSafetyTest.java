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
 * Issue 17 rows 12-25 (waiting, streams, prompts, errors, exit codes, validation), a test per row. The
 * terminal-only parts (prompt, progress, Ctrl-C, {@code | head}) also run in a real pty in {@code TerminalIT}.
 */
class CliSafetyTest extends UsabilityFixture {
    @Test
    void row12_a_timed_out_wait_says_why_and_progress_is_plain_lines_when_piped() throws Exception {
        stop();
        volantd = new RealVolantd(Files.createTempDirectory(dir, "unhealthy"), Map.of("VOLANT_SIMULATED_HEALTH",
                "unhealthy"));
        cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
        assertThat(cli.run("deployments", "create", "w", "--config", "d.json").exit()).isZero();

        Cli.Result r = cli.run("deployments", "scale", "w", "2", "--wait", "--wait-timeout", "1s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("deployment w: 0/2 replicas ready\n").doesNotContain("\r");
        assertThat(r.err().lines().toList().getLast()).startsWith(
                "Error: timed out after 1s waiting for deployment w: 0/2 replicas ready; ").contains("not healthy yet");
    }

    @Test
    void row12_ctrl_c_terminates_the_progress_line() throws Exception {
        StringWriter err = new StringWriter();
        io.volant.volar.output.Interrupts interrupts = new io.volant.volar.output.Interrupts();
        try (var p = new io.volant.volar.output.WaitPrinter(new PrintWriter(err), true, "deployment w", interrupts)) {
            p.update("1/2 replicas ready");
            interrupts.fire();
            assertThat(err.toString()).isEqualTo("\rdeployment w: 1/2 replicas ready\n");
        }
        assertThat(err.toString()).isEqualTo("\rdeployment w: 1/2 replicas ready\n");
    }

    @Test
    void row13_events_stops_when_its_output_is_closed() throws Exception {
        Writer closesAfterOneLine = new Writer() {
            private int lines;

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                if (lines > 0) {
                    throw new IOException("Broken pipe");
                }
                for (int i = off; i < off + len; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Cli.Live events = cli.start(new PrintWriter(closesAfterOneLine, true), "events");
        await().atMost(LIMIT).untilAsserted(() -> {
            vm("h" + System.nanoTime());
            assertThat(events.exit()).isDone();
        });
        assertThat(events.result(LIMIT).exit()).isZero();
    }

    @Test
    void row14_a_lost_daemon_ends_events_and_console_with_connection_lost() throws Exception {
        vm("k1");
        Cli.Live events = cli.start("events");
        try (var keys = new java.io.PipedOutputStream()) {
            Cli.Live console = new Cli().api(volantd.base()).stdin(new java.io.PipedInputStream(keys))
                    .start("vms", "console", "k1");
            await().atMost(LIMIT).until(() -> console.err().toString().contains("Connected to k1"));
            volantd.close();
            volantd = null;
            Cli.Result c = console.result(LIMIT);
            assertThat(c.exit()).isEqualTo(1);
            assertThat(c.err()).contains("Error: connection to k1 console lost").doesNotContain("Detached");
        }
        Cli.Result e = events.result(LIMIT);
        assertThat(e.exit()).isEqualTo(1);
        assertThat(e.err()).startsWith("Error: connection to volantd lost");
    }

    @Test
    void row15_deletes_ask_on_a_terminal_and_warn_about_replicas_and_users() throws Exception {
        vm("p1");
        Cli.Result no = cli.stdinTty(true).stdin(input("n\n")).run("vms", "delete", "p1");
        assertThat(no.exit()).isEqualTo(1);
        assertThat(no.err()).startsWith("Delete VM p1 (running)? [y/N] Error: aborted; nothing was changed");
        assertThat(cli.run("vms", "get", "p1").exit()).isZero();
        Cli.Result yes = cli.stdinTty(true).stdin(input("y\n")).run("vms", "delete", "p1");
        assertThat(yes.out()).isEqualTo("VM p1 deleted\n");

        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
        assertThat(cli.stdinTty(false).run("deployments", "create", "web", "--config", "d.json").exit()).isZero();
        Cli.Result replica = cli.stdinTty(true).stdin(input("")).run("vms", "delete", "web-1", "-y");
        assertThat(replica.err()).contains("warning: VM web-1 is a replica of deployment web; it will be recreated");
        assertThat(replica.out()).isEqualTo("VM web-1 deleted\n");

        Cli.Result plugin = cli.stdinTty(true).stdin(input("no\n")).run("plugins", "remove", "caddy");
        assertThat(plugin.err()).contains("warning: plugin caddy is in use by 1 VM (web-").contains("[y/N]");
        assertThat(plugin.exit()).isEqualTo(1);
        Cli.Result deployment = cli.stdinTty(true).stdin(input("\n")).run("deployments", "delete", "web");
        assertThat(deployment.err()).startsWith("Delete deployment web and its 1 replica? [y/N] ");
        assertThat(deployment.exit()).isEqualTo(1);

        assertThat(cli.stdinTty(false).run("plugins", "artifacts", "add", "caddy", "rootfs", "--version", "v1")
                .exit()).isZero();
        Cli.Result artifacts = cli.stdinTty(true).stdin(input("y\n")).run("plugins", "artifacts", "delete", "caddy");
        assertThat(artifacts.err()).startsWith("Delete 1 artifact record (artifacts of plugin caddy)? [y/N] ");
        assertThat(artifacts.out()).isEqualTo("Deleted 1 artifact record (artifacts of plugin caddy)\n");
    }

    @Test
    void row15_setup_on_a_terminal_shows_its_plan_before_asking() {
        // Any host command fails the test (Cli's default twin): a "no" must leave the host untouched.
        Cli.Result r = new Cli().host(new Cli.FakeHost(true, Set.of("ip", "iptables", "cloud-hypervisor")))
                .stdinTty(true).stdin(input("n\n")).run("setup", "--service-file", "");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Commands to run:\n  mkdir -p ").contains("  ip link add vbr0 type bridge\n")
                .contains("Apply these changes to this host? [y/N] Error: aborted; nothing was changed");
    }

    @Test
    void row16_errors_are_one_clear_line_naming_the_resource() throws Exception {
        assertThat(cli.run("vms", "get", "nope").err()).isEqualTo("Error: VM nope not found\n");
        assertThat(cli.run("plugins", "get", "nope").err()).isEqualTo("Error: plugin nope not found\n");
        assertThat(cli.run("deployments", "get", "nope").err()).isEqualTo("Error: deployment nope not found\n");
        assertThat(cli.run("plugins", "artifacts", "get", "caddy", "x", "--version", "1").err())
                .isEqualTo("Error: artifact x of plugin caddy not found\n");

        vm("e1");
        Files.writeString(dir.resolve("bad.json"), "{\"resources\":{\"cpu_cores\":\"many\"}}");
        Cli.Result decode = cli.run("vms", "config", "patch", "e1", "-f", "bad.json");
        assertThat(decode.err()).startsWith("Error: ").doesNotContain("vmconfig:").doesNotContain("decode:")
                .contains("resources.cpu_cores");
        Files.writeString(dir.resolve("broken.json"), "{\"plugin\": \"caddy\",\n  oops}");
        Cli.Result parse = cli.run("vms", "config", "patch", "e1", "-f", "broken.json");
        assertThat(parse.err()).startsWith("Error: parse config ").contains("line 2, column")
                .doesNotContain("Source:").doesNotContain("was expecting");
        assertThat(parse.err().lines()).hasSize(1);

        HttpServer html = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        html.createContext("/", ex -> {
            byte[] page = "<!DOCTYPE html><html><body><h1>404</h1>lots of markup</body></html>".getBytes();
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(404, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        html.start();
        try {
            Cli.Result r = cli.run("--api", "http://127.0.0.1:" + html.getAddress().getPort(), "vms", "list");
            assertThat(r.err()).isEqualTo("Error: volantd answered HTTP 404 with an HTML page for /api/v1/vms "
                    + "(is --api the address of volantd?)\n");
            Cli.Result manifest = cli.run("plugins", "install",
                    "http://127.0.0.1:" + html.getAddress().getPort() + "/m.json");
            assertThat(manifest.err()).isEqualTo("Error: download manifest http://127.0.0.1:"
                    + html.getAddress().getPort() + "/m.json: http 404\n");
        } finally {
            html.stop(0);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(cli.run("--api", "http://127.0.0.1:" + port, "vms", "list").err())
                .isEqualTo("Error: cannot reach volantd at http://127.0.0.1:" + port + ": connection refused\n");
        Cli.Result extra = cli.run("vms", "get", "a", "b");
        assertThat(extra.exit()).isEqualTo(2);
        assertThat(extra.err()).startsWith("Error: unexpected argument \"b\" for \"volar vms get\"\n");
    }

    @Test
    void row17_usage_mistakes_exit_2_and_start_stop_are_symmetric() {
        vm("s1");
        assertThat(cli.run("vms", "scale", "s1").exit()).isEqualTo(2);
        Cli.Result install = cli.run("plugins", "install");
        assertThat(install.exit()).isEqualTo(2);
        assertThat(install.err()).startsWith("Error: provide a manifest via --manifest, --url, or positional argument");
        Cli.Result again = cli.run("vms", "start", "s1");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo("VM s1 is already running\n");
        assertThat(cli.run("vms", "stop", "s1").out()).isEqualTo("VM s1 stopped\n");
        Cli.Result stopped = cli.run("vms", "stop", "s1");
        assertThat(stopped.exit()).isZero();
        assertThat(stopped.out()).isEqualTo("VM s1 is already stopped\n");
        assertThat(cli.run("vms", "start", "s1").out()).startsWith("VM s1 started");
    }

    @Test
    void row18_resource_flags_name_their_rule() {
        vm("r1");
        Cli.Result cpu = cli.run("vms", "scale", "r1", "--cpu", "0");
        assertThat(cpu.exit()).isEqualTo(2);
        assertThat(cpu.err()).startsWith("Error: --cpu must be at least 1 (got 0)\n");
        Cli.Result mem = cli.run("vms", "scale", "r1", "--memory", "lots");
        assertThat(mem.exit()).isEqualTo(2);
        assertThat(mem.err()).startsWith("Error: --memory must be a size of at least 1 MB");
        assertThat(cli.run("vms", "scale", "r1", "--memory", "1G").out())
                .startsWith("VM r1 updated: CPU=1 cores, Memory=1024 MB");
    }

    @Test
    void row19_config_set_replaces_patch_merges_unknown_keys_are_rejected_and_dash_reads_stdin() throws Exception {
        vm("cfg");
        Files.writeString(dir.resolve("extra.json"), "{\"kernel_cmdline\":\"quiet\"}");
        assertThat(cli.run("vms", "config", "patch", "cfg", "-f", "extra.json").out())
                .isEqualTo("VM cfg configuration updated (version 2)\n");
        JsonNode current = mapper.readTree(cli.run("vms", "config", "get", "cfg").out());
        assertThat(current.path("kernel_cmdline").asText()).isEqualTo("quiet");
        ((com.fasterxml.jackson.databind.node.ObjectNode) current).remove("kernel_cmdline");
        Cli.Result set = cli.stdin(input(current.toString())).run("vms", "config", "set", "cfg", "-f", "-");
        assertThat(set.out()).as(set.err()).isEqualTo("VM cfg configuration updated (version 3)\n");
        assertThat(mapper.readTree(cli.run("vms", "config", "get", "cfg").out()).has("kernel_cmdline")).isFalse();

        Files.writeString(dir.resolve("typo.json"), "{\"resource\":{\"cpu_cores\":2}}");
        Cli.Result typo = cli.run("vms", "config", "patch", "cfg", "-f", "typo.json");
        assertThat(typo.exit()).isEqualTo(1);
        assertThat(typo.err()).startsWith("Error: unknown config key \"resource\" (known: api, cloud_init, ");
        assertThat(cli.run("vms", "config", "history", "cfg", "-o", "name").out()).isEqualTo("3\n2\n1\n");
        // Server side too, for any client.
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(volantd.base() + "/api/v1/vms/cfg/config")).method("PUT",
                HttpRequest.BodyPublishers.ofString("{\"plugin\":\"caddy\",\"bogus\":1}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(raw.body()).path("error").asText()).startsWith("unknown config key \"bogus\"");
    }

    @Test
    void row20_artifacts_need_an_installed_plugin_a_known_kind_and_something_to_delete() {
        Cli.Result missing = cli.run("plugins", "artifacts", "add", "nosuch", "rootfs", "--version", "1");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error: plugin nosuch not found\n");
        Cli.Result kind = cli.run("plugins", "artifacts", "add", "caddy", "rootfs", "--version", "1", "--kind", "bogus");
        assertThat(kind.exit()).isEqualTo(2);
        assertThat(kind.err()).startsWith("Error: invalid --kind \"bogus\" (expected kernel, initramfs, rootfs, ");
        Cli.Result nothing = cli.run("plugins", "artifacts", "delete", "caddy", "--version", "9");
        assertThat(nothing.exit()).isEqualTo(1);
        assertThat(nothing.err()).isEqualTo("Error: no artifacts of plugin caddy version 9; nothing deleted\n");
        assertThat(cli.run("plugins", "artifacts", "add", "caddy", "rootfs", "--version", "1", "--kind", "rootfs")
                .out()).isEqualTo("Artifact rootfs 1 recorded for plugin caddy\n");
    }

    @Test
    void row20_row25_every_option_and_argument_is_described() {
        List<String> undocumented = new ArrayList<>();
        List<List<String>> paths = new ArrayList<>();
        CommandLine root = Main.commandLine(env());
        collect(root, new ArrayList<>(), paths);
        for (List<String> path : paths) {
            CommandLine cl = root;
            for (String p : path) {
                cl = cl.getSubcommands().get(p);
            }
            for (ArgSpec a : cl.getCommandSpec().args()) {
                if (!a.hidden() && (a.description().length == 0 || a.description()[0].isBlank())) {
                    undocumented.add(String.join(" ", path) + " " + a.paramLabel() + (a.isOption()
                            ? " " + ((CommandLine.Model.OptionSpec) a).longestName() : ""));
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void row23_logs_print_the_buffer_tail_and_follow_and_name_a_stopped_vm() {
        vm("api1");
        List<String> all = cli.run("vms", "logs", "api1").outLines();
        assertThat(all).hasSize(2);
        assertThat(all.getFirst()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ \\[stdout\\] simulated workload "
                + "of api1 started");
        assertThat(cli.run("vms", "logs", "api1", "--tail", "1").outLines()).containsExactly(all.get(1));
        assertThat(cli.run("vms", "logs", "api1", "--since", "1h").outLines()).isEqualTo(all);
        // -f: the stream replays the buffer (printed once) and then ends: the simulated agent's is short.
        Cli.Result follow = cli.run("vms", "logs", "api1", "-f");
        assertThat(follow.exit()).as(follow.err()).isZero();
        assertThat(follow.outLines()).isEqualTo(all);
        cli.run("vms", "stop", "api1");
        Cli.Result stopped = cli.run("vms", "logs", "api1");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.err()).startsWith("Error: VM api1 is stopped");
    }

    @Test
    void row24_a_key_protected_daemon_says_what_to_set() throws Exception {
        stop();
        volantd = new RealVolantd(Files.createTempDirectory(dir, "keyed"), Map.of("VOLANT_API_KEY", "k"));
        Cli.Result none = new Cli().api(volantd.base()).run("vms", "list");
        assertThat(none.err()).isEqualTo("Error: API key required (set VOLANT_API_KEY or --api-key)\n");
        Cli.Result wrong = new Cli().api(volantd.base()).run("vms", "list", "--api-key", "nope");
        assertThat(wrong.err()).isEqualTo("Error: API key rejected by volantd (check VOLANT_API_KEY or --api-key)\n");
        assertThat(new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k").run("vms", "list").exit()).isZero();
    }

    @Test
    void row25_the_smaller_things() throws Exception {
        Cli.Result status = cli.run("vms", "list", "--status", "bogus");
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).startsWith("Error: invalid --status \"bogus\" (expected pending, starting, running,");
        Cli.Result empty = cli.run("vms", "list");
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).isEqualTo("No VMs found\n");
        Files.writeString(dir.resolve("d.json"), "{\"plugin\":\"caddy\"}");
        assertThat(cli.run("deployments", "create", "one", "--config", "d.json").out())
                .isEqualTo("Deployment one created with 1 replica\n");
        assertThat(cli.run("setup", "--dry-run").out()).startsWith("Commands to run:\n");
        Cli.Result version = cli.run("version");
        assertThat(version.out()).isEqualTo("volar " + io.volant.manifest.VolantVersion.get() + "\nvolantd "
                + io.volant.manifest.VolantVersion.get() + " at " + volantd.base() + "\n");
        assertThat(cli.run("completion", "--help").out()).doesNotContain("--api");
        assertThat(cli.run("vms", "create", "m1", "--plugin", "caddy", "--memory", "1G").exit()).isZero();
        assertThat(mapper.readTree(cli.run("vms", "get", "m1", "-o", "json").out()).path("memory_mb").asInt())
                .isEqualTo(1024);
    }
}
