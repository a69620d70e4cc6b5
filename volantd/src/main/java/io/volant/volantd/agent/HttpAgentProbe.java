package io.volant.volantd.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.errors.UpstreamException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link AgentProbe} over an {@link AgentGateway}: {@code GET /healthz} through the same path as every other agent
 * call (the launcher's transport on real backends, the in-process stub on the simulated one). A transport error is
 * HTTP status 0; no transport at all (the gateway's 502 {@code agent unreachable}) is empty.
 */
public final class HttpAgentProbe implements AgentProbe {
    /** control-plane.md §3.11: each readiness probe is bounded by 2 s. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentGateway gateway;
    private final Function<String, String> ipOf;
    private final Duration timeout;

    /**
     * @param ipOf    the VM's leased IP by name, "" or null when none
     * @param timeout bound of one probe until the response head
     */
    public HttpAgentProbe(AgentGateway gateway, Function<String, String> ipOf, Duration timeout) {
        this.gateway = gateway;
        this.ipOf = ipOf;
        this.timeout = timeout;
    }

    /** With the 2 s bound of control-plane.md §3.11. */
    public HttpAgentProbe(AgentGateway gateway, Function<String, String> ipOf) {
        this(gateway, ipOf, TIMEOUT);
    }

    @Override
    public Optional<Result> probe(String vmName) {
        String ip = ipOf.apply(vmName);
        try (AgentGateway.Response r = gateway.send(vmName, ip == null ? "" : ip,
                new AgentGateway.Request("GET", "/healthz", Map.of(), new byte[0]), timeout)) {
            return Optional.of(new Result(r.status(), workloadState(r.body().readNBytes(1 << 20))));
        } catch (UpstreamException noTransport) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Result(0, null));
        }
    }

    private static String workloadState(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode w = n == null ? null : n.get("workload");
            return w != null && w.has("state") ? w.get("state").asText() : null;
        } catch (IOException notJson) {
            return null; // a non-JSON body still has a status; the workload state stays unknown
        }
    }
}
