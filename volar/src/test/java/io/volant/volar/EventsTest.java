package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volar events} following a real in-process volantd's SSE stream (api-and-cli.md §2.7). */
class EventsTest {
    @TempDir
    Path dir;

    @Test
    void events_print_one_line_per_vm_event_as_they_happen() throws Exception {
        try (RealVolantd volantd = new RealVolantd(dir, Map.of())) {
            Cli cli = install(volantd);
            Cli.Live events = cli.start("events", "--vm", "web", "--count", "2");
            act(cli, events, "web");

            Cli.Result r = events.result(Duration.ofSeconds(20));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.outLines()).hasSize(2)
                    .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ VM_[A-Z_]+ web [a-z]+ .*"));
        }
    }

    @Test
    void events_json_prints_the_event_objects_and_filters_by_vm() throws Exception {
        try (RealVolantd volantd = new RealVolantd(dir, Map.of())) {
            Cli cli = install(volantd);
            Cli.Live events = cli.start("events", "--json", "--vm", "b", "--count", "1");
            cli.run("vms", "create", "a", "--plugin", "caddy");
            act(cli, events, "b");

            Cli.Result r = events.result(Duration.ofSeconds(20));
            assertThat(r.outLines()).hasSize(1);
            assertThat(r.out()).startsWith("{\"type\":\"VM_").contains("\"name\":\"b\"");
        }
    }

    private Cli install(RealVolantd volantd) throws Exception {
        Cli cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
        return cli;
    }

    /**
     * Creates, then restarts {@code vm} until the event command has seen enough: the stream is subscribed some time
     * after the command starts, and nothing tells the test when, so events before that are missed by design.
     */
    private static void act(Cli cli, Cli.Live events, String vm) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (cli.run("vms", "get", vm).exit() != 0) {
                cli.run("vms", "create", vm, "--plugin", "caddy");
            } else if (!events.exit().isDone()) {
                cli.run("vms", "restart", vm);
            }
            return events.exit().isDone();
        });
    }
}
