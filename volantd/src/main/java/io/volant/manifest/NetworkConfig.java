package io.volant.manifest;

/** TEMPORARY stand-in (see package-info). */
public record NetworkConfig(String mode, String subnet, String gateway, boolean autoAssign) {
    public NetworkConfig {
        mode = Manifest.s(mode);
        subnet = Manifest.s(subnet);
        gateway = Manifest.s(gateway);
    }
}
