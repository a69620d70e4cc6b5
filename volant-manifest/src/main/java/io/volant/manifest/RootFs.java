package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code rootfs} boot medium: a disk image attached as the first disk.
 *
 * @param url      {@code http(s)://}, {@code file://} or an absolute path; always serialized
 * @param checksum {@code sha256:<hex>} or bare hex, optional (§1.7)
 * @param format   container format, normalized to lower case, {@code raw} when empty; {@code raw}, {@code qcow2},
 *                 or a file-system name ({@code ext4}, {@code xfs}, {@code btrfs}, {@code squashfs}) meaning a raw
 *                 image holding that file system (§7 G2)
 */
@JsonPropertyOrder({"url", "checksum", "format"})
public record RootFs(
        @JsonProperty("url") String url,
        @JsonProperty("checksum") @JsonInclude(JsonInclude.Include.NON_EMPTY) String checksum,
        @JsonProperty("format") @JsonInclude(JsonInclude.Include.NON_EMPTY) String format) {

    public static final RootFs EMPTY = new RootFs("", "", "");

    public RootFs {
        url = Text.orEmpty(url);
        checksum = Text.orEmpty(checksum);
        format = Text.orEmpty(format);
    }

    /** @return whether this medium is configured (non-blank URL) */
    @JsonIgnore
    public boolean isSet() {
        return !Text.trim(url).isEmpty();
    }
}
