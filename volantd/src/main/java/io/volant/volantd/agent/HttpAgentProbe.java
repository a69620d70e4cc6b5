package io.volant.volantd.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.deployment.AgentProbe;
import io.volant.volantd.errors.UpstreamException;
import java.io.IOException;
import java.time.Duration;
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
    private final Duration timeout;

    /**
     * @param ipOf    the VM's leased IP by name, "" or null when none
     * @param port    the agent port (8080)
     * @param timeout bound of one probe until the response head (control-plane.md §3.11: 2 s)
     */
    public HttpAgentProbe(AgentAccess access, Function<String, String> ipOf, int port, Duration timeout) {
        this.access = access;
        this.ipOf = ipOf;
        this.port = port;
        this.timeout = timeout;
    }

    /** With the 2 s bound of control-plane.md §3.11. */
    public HttpAgentProbe(AgentAccess access, Function<String, String> ipOf, int port) {
        this(access, ipOf, port, Duration.ofSeconds(2));
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
            int status;
            byte[] body;
            try (AgentHttp.Streamed r = new AgentHttp(t, 0).open(port, "GET", "/healthz", Map.of(), new byte[0],
                    timeout)) {
                status = r.status();
                body = r.body().readNBytes(1 << 20);
            }
            String state = null;
            try {
                JsonNode n = JSON.readTree(body);
                JsonNode w = n == null ? null : n.get("workload");
                if (w != null && w.has("state")) {
                    state = w.get("state").asText();
                }
            } catch (IOException notJson) {
                // a non-JSON body still has a status; the workload state stays unknown
            }
            return Optional.of(new Result(status, state));
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Result(0, null));
        }
    }
}
