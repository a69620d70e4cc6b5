package io.volant.volantd.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.deployment.AgentProbe;
import io.volant.volantd.errors.UpstreamException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link AgentProbe} for the real backends: {@code GET /healthz} on the agent port through the launcher's
 * {@link AgentAccess} transport (TCP by IP, netns-aware; hybrid vsock on Cloud Hypervisor). A transport error is
 * HTTP status 0; no transport at all is empty.
 */
public final class HttpAgentProbe implements AgentProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentAccess access;
    private final Function<String, String> ipOf;
    private final int port;

    /**
     * @param ipOf the VM's leased IP by name, "" or null when none
     * @param port the agent port (8080)
     */
    public HttpAgentProbe(AgentAccess access, Function<String, String> ipOf, int port) {
        this.access = access;
        this.ipOf = ipOf;
        this.port = port;
    }

    @Override
    public Optional<Result> probe(String vmName) {
        AgentTransport t;
        try {
            String ip = ipOf.apply(vmName);
            t = access.agentTransport(vmName, ip == null ? "" : ip);
        } catch (UpstreamException e) {
            return Optional.empty();
        }
        try {
            AgentHttp.Response r = new AgentHttp(t, 1 << 20).request(port, "GET", "/healthz", Map.of(), new byte[0]);
            String state = null;
            try {
                JsonNode n = JSON.readTree(r.body());
                JsonNode w = n == null ? null : n.get("workload");
                if (w != null && w.has("state")) {
                    state = w.get("state").asText();
                }
            } catch (IOException notJson) {
                // a non-JSON body still has a status; the workload state stays unknown
            }
            return Optional.of(new Result(r.status(), state));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Result(0, null));
        }
    }
}
