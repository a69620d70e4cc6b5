package io.volant.volantd.api;

import io.volant.volantd.agent.AgentAccess;
import io.volant.volantd.agent.AgentHttp;
import io.volant.volantd.agent.AgentTransport;
import io.volant.volantd.errors.UpstreamException;
import io.volant.volantd.vm.Vm;
import java.io.IOException;
import java.time.Duration;

/**
 * Agent access for the real backends (host-runtime.md §7.3 steps 1-2): the launcher's {@link AgentAccess} picks the
 * transport (TCP to the leased IP, through {@code VOLANT_NETNS} when set; hybrid vsock on Cloud Hypervisor) and
 * {@link AgentHttp} speaks HTTP/1.1 over it with the body streamed. The same transports serve the readiness probe.
 */
public final class TransportAgentGateway implements AgentGateway {
    /** plugins-and-guest.md: the agent listens on 8080 in the guest. */
    public static final int AGENT_PORT = 8080;

    private final AgentAccess access;

    public TransportAgentGateway(AgentAccess access) {
        this.access = access;
    }

    @Override
    public Response send(Vm vm, Request request, Duration timeout) throws IOException {
        AgentTransport transport;
        try {
            transport = access.agentTransport(vm.name(), vm.ipAddress());
        } catch (UpstreamException e) {
            throw ApiException.upstream(e.getMessage());
        }
        AgentHttp.Streamed r = new AgentHttp(transport, 0).open(AGENT_PORT, request.method(), request.path(),
                request.headers(), request.body(), timeout);
        return new Response(r.status(), r.headers(), r.body());
    }
}
