package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Cloud-init seed documents. Each document is nullable (absent).
 *
 * @param datasource    normalized to {@code NoCloud} when empty (the seed is always NoCloud)
 * @param seedMode      lower-cased, {@code vfat} when empty; only {@code vfat} is valid
 * @param userData      the {@code user-data} document, or null
 * @param metaData      the {@code meta-data} document, or null
 * @param networkConfig the {@code network-config} document, or null
 */
@JsonPropertyOrder({"datasource", "seed_mode", "user_data", "meta_data", "network_config"})
public record CloudInit(
        @JsonProperty("datasource") @JsonInclude(JsonInclude.Include.NON_EMPTY) String datasource,
        @JsonProperty("seed_mode") @JsonInclude(JsonInclude.Include.NON_EMPTY) String seedMode,
        @JsonProperty("user_data") @JsonInclude(JsonInclude.Include.NON_NULL) CloudInitDoc userData,
        @JsonProperty("meta_data") @JsonInclude(JsonInclude.Include.NON_NULL) CloudInitDoc metaData,
        @JsonProperty("network_config") @JsonInclude(JsonInclude.Include.NON_NULL) CloudInitDoc networkConfig) {

    public CloudInit {
        datasource = Text.orEmpty(datasource);
        seedMode = Text.orEmpty(seedMode);
    }
}
