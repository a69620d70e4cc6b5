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
 * The fixture of the issue 17 tests ({@link CliUsabilityTest}, {@link CliSafetyTest}): a real in-process volantd
 * (simulated backend) with the caddy plugin installed, and volar run the way a shell would.
 */
abstract class UsabilityFixture {
    static final Duration LIMIT = Duration.ofSeconds(60);
    final ObjectMapper mapper = new ObjectMapper();
    RealVolantd volantd;
    Cli cli;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        volantd = new RealVolantd(Files.createTempDirectory(dir, "volantd"), Map.of());
        cli = new Cli().api(volantd.base()).cwd(dir);
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        assertThat(cli.run("plugins", "install", "caddy.json").exit()).isZero();
    }

    @AfterEach
    void stop() {
        if (volantd != null) {
            volantd.close();
        }
    }

    void vm(String name) {
        Cli.Result r = cli.run("vms", "create", name, "--plugin", "caddy");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    CliEnvironment env() {
        return new CliEnvironment(Map.of(), input(""), io.volant.volar.console.Terminal.NONE,
                new Cli.FakeHost(false, Set.of()), null, false, false, dir, ms -> { }, java.time.Clock.systemUTC(),
                new io.volant.volar.output.Interrupts());
    }

    /** Every command path of the tree ([vms], [vms, list], ...), aliases left out. */
    static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        if (!path.isEmpty()) {
            out.add(List.copyOf(path));
        }
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }
}
