package io.volant.manifest;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * PCI passthrough request; checked only at VM creation (host-runtime.md §6.2), not at install.
 *
 * @param pciPassthrough PCI addresses such as {@code 0000:01:00.0}; immutable, never null; {@code vfio} is
 *                       accepted as an alias on input (api-and-cli.md D2), output is always {@code pci_passthrough}
 * @param allowlist      {@code vvvv:dddd} or {@code vvvv:*}; immutable, never null
 */
@JsonPropertyOrder({"pci_passthrough", "allowlist"})
public record DeviceConfig(
        @JsonProperty("pci_passthrough") @JsonAlias("vfio") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> pciPassthrough,
        @JsonProperty("allowlist") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowlist) {

    public DeviceConfig {
        pciPassthrough = Text.strings(pciPassthrough);
        allowlist = Text.strings(allowlist);
    }
}
