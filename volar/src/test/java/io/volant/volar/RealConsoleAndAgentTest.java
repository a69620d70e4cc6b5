package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volar.console.Terminal;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vms console}, {@code vms logs}, {@code vms operations} and {@code vms call} against a real in-process volantd
 * (simulated backend, API key on both sides): its echo console ({@code api.SimulatedConsole}), its agent stub's
 * finite log stream and {@code /healthz}, and the workload OpenAPI document served from the plugin's artifact
 * directory (api-and-cli.md §5.5, §5.6, AC-C10, AC-C13).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealConsoleAndAgentTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    private RealVolantd volantd;
    private Cli cli;

    @BeforeAll
    void start() throws Exception {
        volantd = new RealVolantd(dir, Map.of("VOLANT_API_KEY", "k"));
        cli = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k").cwd(dir);
        // The workload document lives next to the plugin's initramfs, the directory volantd serves it from.
        Files.writeString(dir.resolve("caddy-openapi.yaml"), """
                openapi: 3.0.3
                info: {title: caddy, version: "1"}
                paths:
                  /healthz:
                    get:
                      operationId: getHealth
                      summary: Agent health as kestrel reports it
                  /status:
                    get:
                      operationId: getStatus
                """);
        String manifest = volantd.caddyManifest(dir).replace("\"schema_version\": \"1.0\",",
                "\"schema_version\": \"1.0\", \"openapi\": \"" + dir.resolve("caddy-openapi.yaml") + "\",");
        Files.writeString(dir.resolve("caddy.json"), manifest);
        Cli.Result install = cli.run("plugins", "install", "caddy.json");
        assertThat(install.exit()).as(install.err()).isZero();
        Cli.Result create = cli.run("vms", "create", "web", "--plugin", "caddy");
        assertThat(create.exit()).as(create.err()).isZero();
    }

    @AfterAll
    void stop() {
        volantd.close();
    }

    /** A terminal that records mode changes. */
    private static final class RecordingTerminal implements Terminal {
        final List<String> modes = new CopyOnWriteArrayList<>();

        @Override
        public boolean isInteractive() {
            return true;
        }

        @Override
        public Runnable enterRawMode() {
            modes.add("raw");
            return () -> modes.add("restored");
        }
    }

    @Test
    void ac_c13_console_echoes_keystrokes_and_ctrl_bracket_detaches_with_exit_0_and_a_restored_terminal()
            throws Exception {
        RecordingTerminal terminal = new RecordingTerminal();
        try (PipedOutputStream keys = new PipedOutputStream()) {
            Cli.Live run = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k").terminal(terminal)
                    .stdin(new PipedInputStream(keys)).start("vms", "console", "web");
            await().atMost(LIMIT).until(() -> run.out().toString().equals("simulated console of web\r\n"));

            keys.write("uname\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(LIMIT).until(() -> run.out().toString().endsWith("uname\n"));
            // While attached, a second session is refused with the server's own message.
            Cli.Result second = cli.run("vms", "console", "web");
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.err()).isEqualTo("Error: console already attached (HTTP 409)\n");
            keys.write(0x1d);
            keys.flush();

            Cli.Result r = run.result(LIMIT);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("simulated console of web\r\nuname\n");
            assertThat(r.err()).startsWith("Connected to web console (escape: Ctrl-])\n");
            assertThat(terminal.modes).containsExactly("raw", "restored");
        }
        // Detaching freed the console: the next session attaches (and ends when the VM stops, below).
        await().atMost(LIMIT).until(() -> reattachable("web"));
    }

    @Test
    void a_console_ends_with_exit_0_when_the_vm_stops() throws Exception {
        assertThat(cli.run("vms", "create", "stopme", "--plugin", "caddy").exit()).isZero();
        try (PipedOutputStream keys = new PipedOutputStream()) {
            Cli.Live run = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k")
                    .stdin(new PipedInputStream(keys)).start("vms", "console", "stopme");
            await().atMost(LIMIT).until(() -> run.out().toString().equals("simulated console of stopme\r\n"));

            assertThat(cli.run("vms", "stop", "stopme").out()).isEqualTo("VM stopme stopped\n");

            Cli.Result r = run.result(LIMIT);
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    @Test
    void a_refused_console_handshake_prints_the_servers_message() {
        Cli.Result ghost = cli.run("vms", "console", "ghost");
        assertThat(ghost.exit()).isEqualTo(1);
        assertThat(ghost.err()).isEqualTo("Error: VM ghost not found\n");
    }

    @Test
    void logs_print_the_agents_lines_until_the_stream_ends() {
        Cli.Result r = cli.run("vms", "logs", "web");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(2);
        assertThat(r.outLines().get(0)).matches("\\S+ \\S+ \\[stdout\\] simulated workload of web started");
        assertThat(r.outLines().get(1)).matches("\\S+ \\S+ \\[stderr\\] simulated workload of web has no real process");

        Cli.Result raw = cli.run("vms", "logs", "web", "-o", "json");
        assertThat(raw.outLines().getFirst()).startsWith("{\"stream\":\"stdout\",\"line\":");
        assertThat(cli.run("vms", "logs", "ghost").err()).isEqualTo("Error: VM ghost not found\n");
    }

    @Test
    void ac_c10_operations_come_from_the_workload_document_and_calls_reach_the_agent() {
        List<String> ops = cli.run("vms", "operations", "web").outLines();
        assertThat(ops).containsExactly("OPERATION ID   METHOD   PATH       SUMMARY",
                "getHealth      GET      /healthz   Agent health as kestrel reports it",
                "getStatus      GET      /status");

        // /api/v1/vms/web/agent/v1/healthz: the simulated agent answers like kestrel.
        Cli.Result health = cli.run("vms", "call", "web", "gethealth");
        assertThat(health.exit()).as(health.err()).isZero();
        // The status goes to stderr, so `| jq` gets the body alone (issue 17 row 22); --include prints it first.
        assertThat(health.err()).isEqualTo("HTTP 200\n");
        assertThat(health.out()).startsWith("{\n  \"status\": \"ok\",");
        assertThat(cli.run("vms", "call", "web", "gethealth", "--include").out()).startsWith("HTTP 200\n{\n");

        Cli.Result missing = cli.run("vms", "call", "web", "getStatus");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("HTTP 404\n");
    }

    /** Attaches and detaches at once: true when the console is free. */
    private boolean reattachable(String vm) throws Exception {
        try (PipedOutputStream keys = new PipedOutputStream()) {
            Cli.Live run = new Cli().api(volantd.base()).env("VOLANT_API_KEY", "k")
                    .stdin(new PipedInputStream(keys)).start("vms", "console", vm);
            await().atMost(LIMIT).until(() -> run.exit().isDone() || !run.out().toString().isEmpty());
            keys.write(0x1d);
            keys.flush();
            return run.result(LIMIT).exit() == 0;
        }
    }
}
