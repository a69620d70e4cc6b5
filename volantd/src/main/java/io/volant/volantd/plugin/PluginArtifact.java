package io.volant.volantd.plugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.volant.volantd.events.InstantJson;
import java.time.Instant;

/** A catalogue entry (control-plane.md §5.4); JSON keys are the column names. */
public record PluginArtifact(
        @JsonProperty("id") long id,
        @JsonProperty("plugin_name") String pluginName,
        @JsonProperty("version") String version,
        @JsonProperty("artifact_name") String artifactName,
        @JsonProperty("kind") String kind,
        @JsonProperty("source_url") String sourceUrl,
        @JsonProperty("checksum") String checksum,
        @JsonProperty("format") String format,
        @JsonProperty("local_path") String localPath,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("created_at") @JsonSerialize(using = InstantJson.class) Instant createdAt,
        @JsonProperty("updated_at") @JsonSerialize(using = InstantJson.class) Instant updatedAt) {}
