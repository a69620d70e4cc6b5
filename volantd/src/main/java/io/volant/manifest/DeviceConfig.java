package io.volant.manifest;

import java.util.List;

/** TEMPORARY stand-in (see package-info). */
public record DeviceConfig(List<String> pciPassthrough, List<String> allowlist) {
    public DeviceConfig {
        pciPassthrough = pciPassthrough == null ? List.of() : List.copyOf(pciPassthrough);
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
    }
}
