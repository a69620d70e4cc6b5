package io.volant.volantd.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * One VM event (control-plane.md §7.3). JSON: {@code status} always present; {@code ip_address},
 * {@code mac_address}, {@code pid}, {@code message}, {@code stream}, {@code line} omitted when empty;
 * {@code timestamp} RFC 3339 with fractional seconds (the API's mapper formats {@link Instant}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VmEvent(
        @JsonProperty("type") EventType type,
        @JsonProperty("name") String name,
        @JsonProperty("status") @JsonInclude(JsonInclude.Include.ALWAYS) String status,
        @JsonProperty("ip_address") String ipAddress,
        @JsonProperty("mac_address") String macAddress,
        @JsonProperty("pid") Long pid,
        @JsonProperty("timestamp") @JsonSerialize(using = InstantJson.class) Instant timestamp,
        @JsonProperty("message") String message,
        @JsonProperty("stream") String stream,
        @JsonProperty("line") String line) {

    /** A lifecycle event without log fields. */
    public static VmEvent lifecycle(EventType type, String name, String status, String ip, String mac, Long pid,
                                    Instant timestamp, String message) {
        return new VmEvent(type, name, status, ip, mac, pid, timestamp, message, null, null);
    }
}
