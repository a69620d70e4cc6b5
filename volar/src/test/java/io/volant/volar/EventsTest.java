package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volar.fake.FakeVolantd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volar events}: follows the SSE stream (api-and-cli.md §2.7). */
class EventsTest {
    @TempDir
    Path dir;

    @Test
    void events_print_one_line_per_vm_event_as_they_happen() throws Exception {
        try (FakeVolantd volantd = new FakeVolantd("")) {
            Cli cli = new Cli().api(volantd.base()).cwd(dir);
            Files.writeString(dir.resolve("caddy.json"), TestManifests.CADDY);
            cli.run("plugins", "install", "caddy.json");

            Cli.Live events = cli.start("events", "--count", "2");
            await().atMost(Duration.ofSeconds(20)).until(() -> volantd.subscribers() == 1);
            cli.run("vms", "create", "web", "--plugin", "caddy");

            Cli.Result r = events.result(Duration.ofSeconds(20));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.outLines()).hasSize(2);
            assertThat(r.outLines().get(0)).matches("\\S+Z VM_CREATED web starting vm record created");
            assertThat(r.outLines().get(1)).matches("\\S+Z VM_RUNNING web running vm running");
        }
    }

    @Test
    void events_json_prints_the_event_objects_and_filters_by_vm() throws Exception {
        try (FakeVolantd volantd = new FakeVolantd("")) {
            Cli cli = new Cli().api(volantd.base()).cwd(dir);
            Files.writeString(dir.resolve("caddy.json"), TestManifests.CADDY);
            cli.run("plugins", "install", "caddy.json");

            Cli.Live events = cli.start("events", "--json", "--vm", "b", "--count", "1");
            await().atMost(Duration.ofSeconds(20)).until(() -> volantd.subscribers() == 1);
            cli.run("vms", "create", "a", "--plugin", "caddy");
            cli.run("vms", "create", "b", "--plugin", "caddy");

            Cli.Result r = events.result(Duration.ofSeconds(20));
            assertThat(r.outLines()).hasSize(1);
            assertThat(r.out()).startsWith("{\"type\":\"VM_CREATED\",\"name\":\"b\"");
        }
    }
}
