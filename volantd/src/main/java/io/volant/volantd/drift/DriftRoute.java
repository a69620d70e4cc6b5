package io.volant.volantd.drift;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One driftd route (control-plane.md §9): {@code {"host_port","protocol","backend":{"type","ip"?,"port","cid"?}}};
 * {@code ip} and {@code cid} are omitted when empty / zero.
 */
@JsonPropertyOrder({"host_port", "protocol", "backend"})
public record DriftRoute(@JsonProperty("host_port") int hostPort, @JsonProperty("protocol") String protocol,
                         @JsonProperty("backend") Backend backend) {

    /** {@code <protocol>/<host_port>}: driftd keys routes by it, and so does the ownership rule. */
    public String key() {
        return key(protocol, hostPort);
    }

    public static String key(String protocol, int hostPort) {
        return protocol + "/" + hostPort;
    }

    /** Where driftd sends the traffic: a bridged VM's IPv4 or a vsock CID, and the guest port. */
    @JsonPropertyOrder({"type", "ip", "port", "cid"})
    public record Backend(@JsonProperty("type") String type,
                          @JsonProperty("ip") @JsonInclude(JsonInclude.Include.NON_EMPTY) String ip,
                          @JsonProperty("port") int port,
                          @JsonProperty("cid") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long cid) {
        public static Backend bridge(String ip, int port) {
            return new Backend("bridge", ip, port, 0);
        }

        public static Backend vsock(long cid, int port) {
            return new Backend("vsock", "", port, cid);
        }
    }
}
