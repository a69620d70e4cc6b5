package io.volant.volar.aot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.volant.volar.Main;
import io.volant.volar.cli.CliEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The training run of volar's AOT cache ({@code scripts/build.sh}: {@code java -XX:AOTCacheOutput=... } this
 * class): runs the commands people run most, in one JVM, against a loopback stand-in for volantd that answers with
 * canned API objects, so the cache holds the classes and profiles of parsing, HTTP, JSON and table output. Prints
 * nothing; exits 0 when every command behaved as expected, 1 otherwise (a broken training must not go unnoticed).
 */
public final class Training {
    private static final String VM = "{\"id\":1,\"name\":\"web\",\"status\":\"running\",\"runtime\":\"caddy\","
            + "\"pid\":4242,\"ip_address\":\"192.168.127.10\",\"mac_address\":\"02:00:00:00:00:0a\",\"cpu_cores\":1,"
            + "\"memory_mb\":512,\"kernel_cmdline\":\"console=ttyS0\",\"serial_socket\":\"/run/volant/web.sock\","
            + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
    private static final Map<String, String> ANSWERS = Map.of(
            "/api/v1/vms", "[" + VM + "," + VM.replace("\"web\"", "\"api\"") + "]",
            "/api/v1/vms/web", VM,
            "/api/v1/deployments", "[{\"name\":\"web\",\"desired_replicas\":2,\"ready_replicas\":2,\"config\":{"
                    + "\"plugin\":\"caddy\"},\"created_at\":\"2026-01-01T00:00:00Z\",\"revision\":1}]",
            "/api/v1/plugins", "{\"plugins\":[\"caddy\"]}",
            "/api/v1/plugins/caddy", "{\"schema_version\":\"1.0\",\"name\":\"caddy\",\"version\":\"0.1.0\","
                    + "\"runtime\":\"caddy\",\"enabled\":true}",
            "/api/v1/system/info", "{\"status\":\"ok\",\"version\":\"training\"}");

    private Training() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", Training::answer);
        server.start();
        int failures = 0;
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<List<String>> commands = List.of(List.of("version"), List.of("--version"), List.of("--help"),
                    List.of("vms", "list"), List.of("vms", "list", "-o", "json"), List.of("vms", "list", "-o", "wide"),
                    List.of("vms", "get", "web"), List.of("vms", "get", "web", "-o", "yaml"),
                    List.of("deployments", "list"), List.of("plugins", "list"), List.of("vms", "list", "-h"));
            for (List<String> c : commands) {
                failures += run(base, c) == 0 ? 0 : 1;
            }
            failures += run(base, List.of("vms", "get", "ghost")) == 1 ? 0 : 1;
            failures += run(base, List.of("vms", "lsit")) == 2 ? 0 : 1;
        } finally {
            server.stop(0);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int run(String base, List<String> args) {
        // The real process environment (as Main.main builds it): none of these commands reads stdin, prompts,
        // touches the terminal or runs a host command.
        CliEnvironment env = Main.processEnvironment(Map.of("VOLANT_API_BASE", base));
        CommandLine cl = Main.commandLine(env, args.toArray(String[]::new));
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        cl.setOut(sink);
        cl.setErr(sink);
        return cl.execute(args.toArray(String[]::new));
    }

    private static void answer(HttpExchange ex) throws IOException {
        String body = ANSWERS.get(ex.getRequestURI().getPath());
        byte[] bytes = (body != null ? body : "{\"error\":\"vm not found\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
