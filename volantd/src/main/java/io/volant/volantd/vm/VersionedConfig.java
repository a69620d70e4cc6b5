package io.volant.volantd.vm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import java.time.Instant;

/** {@code {"version","updated_at","config"}} (control-plane.md §4.6). */
public record VersionedConfig(
        @JsonProperty("version") int version,
        @JsonProperty("updated_at") @JsonSerialize(using = InstantJson.class) Instant updatedAt,
        @JsonProperty("config") VmConfig config) {}
