package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code initramfs} boot medium. There is no format member: fledge's {@code "format": "cpio.gz"} is ignored.
 *
 * @param url      {@code http(s)://}, {@code file://} or an absolute path; always serialized
 * @param checksum {@code sha256:<hex>} or bare hex, optional (§1.7)
 */
@JsonPropertyOrder({"url", "checksum"})
public record Initramfs(
        @JsonProperty("url") String url,
        @JsonProperty("checksum") @JsonInclude(JsonInclude.Include.NON_EMPTY) String checksum) {

    public static final Initramfs EMPTY = new Initramfs("", "");

    public Initramfs {
        url = Text.orEmpty(url);
        checksum = Text.orEmpty(checksum);
    }

    /** @return whether this medium is configured (non-blank URL) */
    @JsonIgnore
    public boolean isSet() {
        return !Text.trim(url).isEmpty();
    }
}
