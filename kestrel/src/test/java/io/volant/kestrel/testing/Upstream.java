package io.volant.kestrel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process HTTP server standing in for the workload (or the control plane) in HTTP tests: records every
 * request, answers {@code /echo}-style requests, streams on {@code /stream} until released, hangs on {@code /hang}.
 */
public final class Upstream implements AutoCloseable {
    /** One recorded request. */
    public record Seen(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String body) {}

    private final HttpServer server;
    public final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch hang = new CountDownLatch(1);
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();

    /** A custom route. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    public Upstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public Upstream route(String path, Handler h) {
        routes.put(path, h);
        return this;
    }

    public URI base(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Lets a pending {@code /stream} response finish. */
    public void releaseStream() {
        release.countDown();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getRawPath();
            seen.add(new Seen(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()), body));
            Handler custom = routes.get(path);
            if (custom != null) {
                custom.handle(ex);
            } else if (path.endsWith("/stream")) {
                ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                await(release);
                out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
                out.close();
            } else if (path.endsWith("/hang")) {
                await(hang);
                ex.sendResponseHeaders(200, -1);
            } else {
                byte[] rsp = ("echo " + ex.getRequestMethod() + " " + path).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("X-Upstream", "yes");
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(path.endsWith("/created") ? 201 : 200,
                        ex.getRequestMethod().equals("HEAD") ? -1 : rsp.length);
                if (!ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseBody().write(rsp);
                }
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        hang.countDown();
        server.stop(0);
    }
}
