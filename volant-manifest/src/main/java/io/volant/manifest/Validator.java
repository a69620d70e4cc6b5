package io.volant.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;

/**
 * plugins-and-guest.md §1.5 on an already normalized manifest, in the spec's order; the first failure wins.
 * Messages are byte-for-byte the spec's (quoted values use Go {@code %q}, see {@link Text#quote}).
 */
final class Validator {
    private static final String P = "plugin manifest: ";
    private static final Set<String> ROOTFS_FORMATS = Set.of("raw", "qcow2", "ext4", "xfs", "btrfs", "squashfs");
    private static final Set<String> DISK_FORMATS = Set.of("", "raw", "qcow2");
    private static final Set<String> NETWORK_MODES = Set.of("vsock", "bridged", "dhcp");

    private Validator() {}

    /** @throws ManifestException the first rule {@code m} breaks */
    static void check(Manifest m) {
        require(!m.name().isEmpty(), "name required");
        require(!m.version().isEmpty(), "version required");
        require(!m.runtime().isEmpty(), "runtime required");
        require(m.resources().cpuCores() > 0, "cpu_cores must be > 0");
        require(m.resources().memoryMb() > 0, "memory_mb must be > 0");
        actions(m.actions());
        workload(m.workload());
        if (!m.rootfs().url().isEmpty()) {
            medium("rootfs", m.rootfs().url(), m.rootfs().checksum());
            String format = m.rootfs().format();
            require(ROOTFS_FORMATS.contains(format), "rootfs format " + Text.quote(format) + " not supported");
        }
        if (!m.initramfs().url().isEmpty()) {
            medium("initramfs", m.initramfs().url(), m.initramfs().checksum());
        }
        require(!m.rootfs().url().isEmpty() || !m.initramfs().url().isEmpty(),
                "at least one of rootfs.url or initramfs.url must be set");
        for (Disk d : m.disks()) {
            disk(d);
        }
        if (m.cloudInit() != null) {
            cloudInit(m.cloudInit());
        }
        if (m.network() != null) {
            network(m.network());
        }
    }

    private static void actions(Map<String, Action> actions) {
        // The map is sorted (Text.sortedMap), which gives the Chosen deterministic order.
        actions.forEach((name, a) -> {
            require(!a.method().isEmpty(), "action " + name + " missing method");
            require(!a.path().isEmpty(), "action " + name + " missing path");
        });
    }

    private static void workload(Workload w) {
        require(!w.type().isEmpty(), "workload type required");
        require(w.type().equalsIgnoreCase("http"), "workload type " + Text.quote(w.type()) + " not supported");
        require(!w.baseUrl().isEmpty(), "workload.base_url required for http workload");
        String problem = baseUrlProblem(w.baseUrl());
        require(problem == null, "workload.base_url invalid: " + problem);
        require(!w.entrypoint().isEmpty(), "workload.entrypoint required for http workload");
    }

    /** Chosen: an absolute http(s) URL with a host, because the agent proxies to it. Null when acceptable. */
    static String baseUrlProblem(String url) {
        if (!url.contains("://")) {
            // Catches the common "127.0.0.1:80" before URI parsing reports it as a bad scheme name.
            return Text.quote(url) + " is not an absolute URL (want http:// or https://)";
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return "parse " + Text.quote(url) + ": " + e.getReason() + " at index " + e.getIndex();
        }
        if (u.getScheme() == null) {
            return Text.quote(url) + " is not an absolute URL (want http:// or https://)";
        }
        if (!u.getScheme().equalsIgnoreCase("http") && !u.getScheme().equalsIgnoreCase("https")) {
            return "scheme " + Text.quote(u.getScheme()) + " not supported (want http or https)";
        }
        if (u.getRawAuthority() == null || u.getRawAuthority().isEmpty()) {
            return Text.quote(url) + " has no host";
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            return Text.quote(url) + " has no valid host[:port]";
        }
        if (u.getPort() > 65535) {
            return "port " + u.getPort() + " out of range in " + Text.quote(url);
        }
        return null;
    }

    private static void medium(String which, String url, String checksum) {
        require(MediaUrls.isValid(url), which + " url must be http(s), file://, or absolute path");
        require(Checksums.isValid(checksum), which + " checksum should include algorithm prefix or be a sha256");
    }

    private static void disk(Disk d) {
        require(!d.name().isEmpty(), "disk name required");
        require(!d.source().isEmpty(), "disk " + d.name() + ": source required");
        require(DISK_FORMATS.contains(d.format()), "disk " + d.name() + ": unsupported format " + Text.quote(d.format()));
        // Chosen (§1.7, §7 G4): disks are verified like the boot media, so a malformed checksum is refused here.
        require(Checksums.isValid(d.checksum()),
                "disk " + d.name() + ": checksum should include algorithm prefix or be a sha256");
    }

    private static void cloudInit(CloudInit c) {
        require(!c.datasource().isEmpty(), "cloud_init: datasource required");
        require(c.seedMode().equals("vfat"), "cloud_init: unsupported seed_mode " + Text.quote(c.seedMode()));
        doc("user_data", c.userData());
        doc("meta_data", c.metaData());
        doc("network_config", c.networkConfig());
    }

    private static void doc(String field, CloudInitDoc d) {
        if (d == null) {
            return;
        }
        String prefix = "cloud_init." + field + ": ";
        require(d.content().isEmpty() || d.path().isEmpty(), prefix + "content and path cannot both be set");
        require(d.content().isEmpty() || d.inline(), prefix + "inline must be true when content provided");
        require(d.path().isEmpty() || !d.inline(), prefix + "inline must be false when path provided");
    }

    private static void network(NetworkConfig n) {
        require(NETWORK_MODES.contains(n.mode()),
                "network: unsupported mode " + Text.quote(n.mode()) + " (must be vsock, bridged, or dhcp)");
        require(!(n.mode().equals("bridged") && !n.subnet().isEmpty() && n.gateway().isEmpty() && !n.autoAssign()),
                "network: bridged mode with subnet requires gateway or auto_assign");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ManifestException(P + message);
        }
    }
}
