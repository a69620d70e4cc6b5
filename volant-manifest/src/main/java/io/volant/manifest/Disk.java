package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An extra disk, attached after the root disk and before the cloud-init seed, in array order.
 *
 * @param name     required
 * @param source   required; a host path or URL of the image
 * @param checksum optional, same forms as the boot media (§1.7)
 * @param format   lower-cased; empty means {@code raw}; {@code raw} or {@code qcow2}
 * @param readonly always serialized
 * @param target   optional, informational
 */
@JsonPropertyOrder({"name", "source", "checksum", "format", "readonly", "target"})
public record Disk(
        @JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
        @JsonProperty("source") @JsonInclude(JsonInclude.Include.NON_EMPTY) String source,
        @JsonProperty("checksum") @JsonInclude(JsonInclude.Include.NON_EMPTY) String checksum,
        @JsonProperty("format") @JsonInclude(JsonInclude.Include.NON_EMPTY) String format,
        @JsonProperty("readonly") boolean readonly,
        @JsonProperty("target") @JsonInclude(JsonInclude.Include.NON_EMPTY) String target) {

    public static final Disk EMPTY = new Disk("", "", "", "", false, "");

    public Disk {
        name = Text.orEmpty(name);
        source = Text.orEmpty(source);
        checksum = Text.orEmpty(checksum);
        format = Text.orEmpty(format);
        target = Text.orEmpty(target);
    }
}
