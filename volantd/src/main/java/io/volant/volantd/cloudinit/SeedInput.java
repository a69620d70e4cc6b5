package io.volant.volantd.cloudinit;

/**
 * The content of one NoCloud seed (host-runtime.md §5).
 *
 * @param instanceId {@code volant-<vm id>}
 * @param hostname sanitized hostname (control-plane.md §1.7)
 * @param userData trimmed user-data text, "" when none
 * @param metaData trimmed meta-data text, "" when none
 * @param networkConfig trimmed network-config text, "" when none
 */
public record SeedInput(String instanceId, String hostname, String userData, String metaData, String networkConfig) {}
