package io.volant.kestrel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real workload program for end-to-end tests, launched by kestrel with the test JDK: JDK-only, so it runs from
 * {@code target/test-classes} alone. {@code TestWorkload <port> [crash]}. On SIGTERM it writes {@code TERM} to the file
 * named by {@code $MARKER} (a SIGKILL would leave no trace).
 */
public final class TestWorkload {
    private TestWorkload() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        if (args.length > 1 && args[1].equals("crash")) {
            System.out.println("workload crashing on purpose");
            System.exit(3);
        }
        String marker = System.getenv("MARKER");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("workload got SIGTERM");
            if (marker != null) {
                try {
                    Files.writeString(Path.of(marker), "TERM");
                } catch (IOException e) {
                    System.err.println("cannot write marker: " + e);
                }
            }
        }));
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (ex) {
                handle(ex, release);
            }
        });
        server.start();
        System.out.println("workload listening port=" + port + " cwd=" + Path.of("").toAbsolutePath());
        System.err.println("workload stderr line");
    }

    private static void handle(HttpExchange ex, CountDownLatch release) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        switch (path) {
            case "/health" -> reply(ex, 200, "ok");
            case "/log" -> {
                System.out.println(URLDecoder.decode(ex.getRequestURI().getRawQuery().substring(4),
                        StandardCharsets.UTF_8));
                reply(ex, 200, "logged");
            }
            case "/release" -> {
                release.countDown();
                reply(ex, 200, "released");
            }
            case "/stream" -> {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write("chunk-1\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write("chunk-2\n".getBytes(StandardCharsets.UTF_8));
                out.close();
            }
            default -> reply(ex, 200, ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())
                    + " x-test=" + ex.getRequestHeaders().getFirst("X-Test") + " body=" + body);
        }
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
