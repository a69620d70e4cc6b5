package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A command leaves no HTTP client thread running when it returns (Main stops the clients a run made): the JVM's exit
 * waits up to 300 ms for a thread still in native code, such as an idle client's selector.
 */
class ClientThreadsTest {

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void commands_that_talk_to_volantd_stop_their_clients_before_returning() throws Exception {
        byte[] vms = "[]".getBytes(StandardCharsets.UTF_8);
        byte[] info = "{\"version\":\"9.9.9\"}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().endsWith("/vms") ? vms : info;
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Set<Thread> before = clientThreads();
            Cli cli = new Cli().api("http://127.0.0.1:" + server.getAddress().getPort());

            Cli.Result version = cli.run("version");
            Cli.Result list = cli.run("vms", "list", "-o", "json");
            Cli.Result refused = cli.run("--api", "http://127.0.0.1:1", "version");

            assertThat(version.out()).contains("volantd 9.9.9");
            assertThat(list.out()).isEqualTo("[]\n");
            assertThat(refused.err()).contains("cannot reach volantd");
            assertThat(clientThreads()).as("client threads left running").isSubsetOf(before);
        } finally {
            server.stop(0);
        }
    }
}
