package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Guest networking mode. An absent {@code network} behaves like {@code bridged}.
 *
 * @param mode       {@code vsock}, {@code bridged} or {@code dhcp} (lower-cased); always serialized
 * @param subnet     informational CIDR
 * @param gateway    informational
 * @param autoAssign informational
 */
@JsonPropertyOrder({"mode", "subnet", "gateway", "auto_assign"})
public record NetworkConfig(
        @JsonProperty("mode") String mode,
        @JsonProperty("subnet") @JsonInclude(JsonInclude.Include.NON_EMPTY) String subnet,
        @JsonProperty("gateway") @JsonInclude(JsonInclude.Include.NON_EMPTY) String gateway,
        @JsonProperty("auto_assign") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean autoAssign) {

    public static final String BRIDGED = "bridged";
    public static final String DHCP = "dhcp";
    public static final String VSOCK = "vsock";

    public NetworkConfig {
        mode = Text.orEmpty(mode);
        subnet = Text.orEmpty(subnet);
        gateway = Text.orEmpty(gateway);
    }

    /** @return the effective mode of a (possibly absent) network object: {@code bridged} when absent */
    public static String effectiveMode(NetworkConfig network) {
        return network == null ? BRIDGED : Text.trimLower(network.mode());
    }
}
