package io.volant.kestrel.http;

import com.sun.net.httpserver.HttpServer;
import io.volant.kestrel.Log;
import io.volant.kestrel.logs.LogBuffer;
import io.volant.kestrel.time.Clock;
import io.volant.kestrel.workload.WorkloadStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent API on the JDK's built-in HTTP/1.1 server ({@code jdk.httpserver}), one virtual thread per exchange so
 * long-lived streams (SSE, proxied long polls) cost no platform threads.
 */
public final class AgentServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean closing;

    /** Everything the routes read; suppliers because the manifest and the supervisor may arrive after start-up. */
    public record Wiring(
            Supplier<WorkloadStatus> status,
            Supplier<Optional<WorkloadRoutes>> routes,
            Duration defaultTimeout,
            LogBuffer logs,
            String devtoolsAddress,
            int devtoolsPort) {}

    private AgentServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param host empty for all interfaces
     * @param port 0 for a free port
     * @throws IOException when the address cannot be bound (fatal for the agent)
     */
    public static AgentServer start(String host, int port, Wiring wiring, HttpClient client, Clock clock, Log log)
            throws IOException {
        InetSocketAddress addr = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        HttpServer server = HttpServer.create(addr, 128);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        AgentServer agent = new AgentServer(server, executor);
        AgentHandler handler = new AgentHandler(clock, wiring.status(), wiring.routes(), wiring.defaultTimeout(),
                new Proxy(client, log), new LogsHandler(wiring.logs(), clock, () -> agent.closing),
                new DevtoolsHandler(client, wiring.devtoolsAddress(), wiring.devtoolsPort()), log);
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return agent;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Ends open log streams, then stops the server, giving in-flight exchanges up to a second. */
    @Override
    public void close() {
        closing = true;
        server.stop(1);
        executor.shutdownNow();
    }
}
