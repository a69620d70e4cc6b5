package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volar deployments|vms expose/unexpose} and the published ports in {@code get} and {@code list}. */
class PublishCliTest {
    private final ObjectMapper json = new ObjectMapper();
    private RealVolantd real;
    private Cli cli;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        real = new RealVolantd(Files.createTempDirectory(dir, "volantd"), Map.of());
        cli = new Cli().api(real.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), real.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
        Files.writeString(dir.resolve("web.json"), "{\"plugin\":\"caddy\",\"resources\":{\"cpu_cores\":1,"
                + "\"memory_mb\":128}}");
        assertThat(cli.run("deployments", "create", "web", "--config", "web.json", "--replicas", "2", "--wait")
                .exit()).isZero();
        assertThat(cli.run("vms", "create", "solo", "--plugin", "caddy").exit()).isZero();
    }

    @AfterEach
    void stop() {
        real.close();
    }

    @Test
    void a_deployment_port_is_published_shown_and_withdrawn() throws Exception {
        Cli.Result r = cli.run("deployments", "expose", "web", "8080:80");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("8080->80/tcp (active: web-1, web-2)\n");

        List<String> list = cli.run("deployments", "list").outLines();
        assertThat(list.getFirst()).matches("NAME +DESIRED +READY +AGE +STATUS +PORTS");
        assertThat(list.get(1)).matches("web +2 +2 +\\d+s +Available +8080->80/tcp");
        assertThat(cli.run("deployments", "get", "web").out()).contains("Published: 8080->80/tcp (active: ");
        JsonNode d = json.readTree(cli.run("deployments", "get", "web", "-o", "json").out());
        assertThat(d.path("published").get(0).path("host_port").asInt()).isEqualTo(8080);
        assertThat(d.path("published").get(0).path("state").asText()).isEqualTo("active");

        Cli.Result gone = cli.run("deployments", "unexpose", "web", "8080");
        assertThat(gone.out()).isEqualTo("web publishes no ports\n");
        assertThat(cli.run("deployments", "list").outLines().getFirst()).matches("NAME +DESIRED +READY +AGE +STATUS");
    }

    @Test
    void a_vm_udp_port_shows_in_get_and_list() {
        assertThat(cli.run("vms", "expose", "solo", "5353:53/udp").out()).isEqualTo("5353->53/udp (active: solo)\n");
        assertThat(cli.run("vms", "get", "solo").out()).contains("Published: 5353->53/udp (active: solo)\n");
        assertThat(cli.run("vms", "list").outLines()).anySatisfy(l -> assertThat(l).startsWith("solo ")
                .endsWith(" 5353->53/udp"));
        assertThat(cli.run("vms", "unexpose", "solo", "5353/udp").out()).isEqualTo("solo publishes no ports\n");
    }

    @Test
    void bad_mappings_are_usage_errors_and_conflicts_name_the_owner() {
        Cli.Result noPort = cli.run("vms", "expose", "solo", "8080");
        assertThat(noPort.exit()).isEqualTo(2);
        assertThat(noPort.err()).startsWith("Error: expected HOST_PORT:PORT[/udp], got \"8080\"\n");
        Cli.Result proto = cli.run("vms", "expose", "solo", "8080:80/sctp");
        assertThat(proto.exit()).isEqualTo(2);
        assertThat(proto.err()).startsWith("Error: protocol must be tcp or udp, got \"sctp\"\n");
        Cli.Result range = cli.run("vms", "expose", "solo", "8080:99999");
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err()).startsWith("Error: port must be between 1 and 65535, got 99999\n");

        assertThat(cli.run("deployments", "expose", "web", "8080:80").exit()).isZero();
        Cli.Result taken = cli.run("vms", "expose", "solo", "8080:80");
        assertThat(taken.exit()).isEqualTo(1);
        assertThat(taken.err()).contains("host port tcp/8080 is already published by deployment web");
        Cli.Result none = cli.run("vms", "unexpose", "solo", "9999");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("vm solo does not publish host port tcp/9999");
    }
}
