package io.volant.fledge.config;

import java.util.Map;

/**
 * A loaded, defaulted and validated {@code fledge.toml} (§4.2). Strings are never null ("" = absent); {@code agent},
 * {@code init} and {@code filesystem} are null when their table is absent (after defaults).
 */
public record FledgeConfig(
        String version,
        String strategy,
        AgentConfig agent,
        InitConfig init,
        SourceConfig source,
        FilesystemConfig filesystem,
        Map<String, String> mappings) {

    public static final String INITRAMFS = "initramfs";
    public static final String OCI_ROOTFS = "oci_rootfs";

    public enum InitMode { DEFAULT, CUSTOM, NONE }

    /** §4.4: none if {@code [init].none}, custom if {@code [init].path} is set, else default. */
    public InitMode initMode() {
        if (init != null && init.none()) {
            return InitMode.NONE;
        }
        if (init != null && !init.path().isEmpty()) {
            return InitMode.CUSTOM;
        }
        return InitMode.DEFAULT;
    }

    public boolean isInitramfs() {
        return INITRAMFS.equals(strategy);
    }

    /**
     * {@code [agent]}. {@code repository}, {@code asset} and {@code api_url} are Chosen additions for the
     * {@code release} strategy (§7 F19); an empty repository means "the agent bundle shipped with this fledge".
     */
    public record AgentConfig(String sourceStrategy, String version, String path, String url, String checksum,
                              String repository, String asset, String apiUrl) {
        public static AgentConfig releaseLatest() {
            return new AgentConfig("release", "latest", "", "", "", "", "", "");
        }
    }

    public record InitConfig(String path, boolean none) {}

    public record SourceConfig(String image, String dockerfile, String context, String target,
                               Map<String, String> buildArgs, String busyboxUrl, String busyboxSha256) {
        public static SourceConfig empty() {
            return new SourceConfig("", "", "", "", Map.of(), "", "");
        }
    }

    public record FilesystemConfig(String type, long sizeBufferMb, boolean preallocate, long compressionLevel,
                                   String overlaySize) {
        public static FilesystemConfig defaults() {
            return new FilesystemConfig("squashfs", 0, false, 15, "1G");
        }
    }
}
