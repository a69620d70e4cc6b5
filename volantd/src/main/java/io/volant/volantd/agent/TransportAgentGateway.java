package io.volant.volantd.agent;

import io.volant.volantd.agent.AgentAccess;
import io.volant.volantd.agent.AgentHttp;
import io.volant.volantd.agent.AgentTransport;
import io.volant.volantd.agent.LoopbackBridge;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.io.IOException;
import java.time.Duration;

/**
 * Agent access for the real backends (host-runtime.md §7.3 steps 1-2): the launcher's {@link AgentAccess} picks the
 * transport (TCP to the leased IP, through {@code VOLANT_NETNS} when set; hybrid vsock on Cloud Hypervisor) and
 * {@link AgentHttp} (java.net.http) speaks HTTP/1.1 over it with the body streamed. The same transports serve the readiness probe.
 */
public final class TransportAgentGateway implements AgentGateway {
    /** plugins-and-guest.md: the agent listens on 8080 in the guest. */
    public static final int AGENT_PORT = 8080;

    private final AgentAccess access;
    private final int port;
    private final AgentHttp http = new AgentHttp();

    public TransportAgentGateway(AgentAccess access) {
        this(access, AGENT_PORT);
    }

    /** @param port the agent's port in the guest (tests run a stand-in agent elsewhere) */
    public TransportAgentGateway(AgentAccess access, int port) {
        this.access = access;
        this.port = port;
    }

    @Override
    public Response send(String vm, String ip, Request request, Duration timeout) throws IOException {
        AgentTransport transport = access.agentTransport(vm, ip);
        AgentHttp.Streamed r = http.open(transport, port, request.method(), request.path(), request.headers(),
                request.body(), timeout);
        return new Response(r.status(), r.headers(), r.body());
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * Dials the guest's WebSocket through the same transport as every agent call (a {@link LoopbackBridge} makes the
     * transport stream look like a loopback TCP endpoint to java.net.http), so DevTools works for VMs inside
     * {@code VOLANT_NETNS} and for vsock-only guests alike. The target's port and path are kept.
     */
    @Override
    public CompletableFuture<WebSocket> openWebSocket(String vm, String ip, URI target, WebSocket.Listener listener,
                                                      Duration handshake) {
        LoopbackBridge bridge;
        URI local;
        try {
            bridge = LoopbackBridge.open(access.agentTransport(vm, ip), target.getPort(), handshake);
            local = new URI("ws", null, "127.0.0.1", bridge.localPort(), target.getPath(), target.getQuery(), null);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return HttpClient.newBuilder().connectTimeout(handshake).build().newWebSocketBuilder().connectTimeout(handshake)
                .buildAsync(local, listener).whenComplete((ws, e) -> {
                    if (e != null) {
                        bridge.close();
                    }
                });
    }
}
