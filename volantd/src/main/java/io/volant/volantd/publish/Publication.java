package io.volant.volantd.publish;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One published port as {@code GET /api/v1/published} shows it.
 *
 * @param kind     {@code vm} or {@code deployment}
 * @param state    {@code active} (forwarded), {@code waiting} (no ready backend yet), {@code conflict} (an earlier
 *                 owner holds the host port; {@code detail} names it), {@code unsupported} (an expose mode the
 *                 publisher cannot forward), {@code driftd} (driftd publishes it, {@code VOLANT_DRIFT_ENDPOINT})
 * @param backends the VMs that receive new connections, in rule order
 */
@JsonPropertyOrder({"kind", "owner", "protocol", "host_port", "port", "state", "detail", "backends"})
public record Publication(@JsonProperty("kind") String kind, @JsonProperty("owner") String owner,
                          @JsonProperty("protocol") String protocol, @JsonProperty("host_port") int hostPort,
                          @JsonProperty("port") int port, @JsonProperty("state") String state,
                          @JsonProperty("detail") String detail, @JsonProperty("backends") List<Backend> backends) {
    public Publication {
        backends = List.copyOf(backends);
        detail = detail == null ? "" : detail;
    }

    /** {@code <protocol>/<host_port>}. */
    public String key() {
        return protocol + "/" + hostPort;
    }

    /** {@code vm <name>} or {@code deployment <name>}. */
    public String ownerLabel() {
        return kind + " " + owner;
    }

    /** A VM receiving a published port's connections. */
    @JsonPropertyOrder({"vm", "ip"})
    public record Backend(@JsonProperty("vm") String vm, @JsonProperty("ip") String ip) {}
}
