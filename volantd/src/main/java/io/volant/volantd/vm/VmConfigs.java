package io.volant.volantd.vm;

import io.volant.manifest.CloudInit;
import io.volant.manifest.CloudInitDoc;
import io.volant.manifest.Initramfs;
import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.manifest.NetworkConfig;
import io.volant.manifest.RootFs;
import io.volant.volantd.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Pure functions over {@link VmConfig}: normalization (§4.2), validation (§4.3), network decisions (§2.11). */
public final class VmConfigs {
    private static final Set<String> EXPOSE_MODES = Set.of("", "bridged", "bridge", "vsock", "dhcp");
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");

    private VmConfigs() {}

    /** Idempotent normalization (control-plane.md §4.2 with the Chosen network and cloud-init defaults). */
    public static VmConfig normalize(VmConfig c) {
        List<VmConfig.Expose> expose = new ArrayList<>();
        for (VmConfig.Expose e : c.expose()) {
            String p = e.protocol().trim().toLowerCase(Locale.ROOT);
            expose.add(new VmConfig.Expose(e.name().trim(), p.isEmpty() ? "tcp" : p, e.port(), e.hostPort(),
                    e.mode().trim().toLowerCase(Locale.ROOT)));
        }
        return new VmConfig(c.plugin().trim(), c.runtime().trim(), c.kernelCmdline().trim(), c.kernelOverride().trim(),
                c.resources(), new VmConfig.Api(c.api().host().trim(), c.api().port().trim()),
                c.manifest() == null ? null : Manifests.normalize(c.manifest()), c.devices(), c.metadata(), expose,
                normalizeCloudInit(c.cloudInit()), normalizeNetwork(c.network()),
                c.initramfs() == null ? null : new Initramfs(c.initramfs().url().trim(), c.initramfs().checksum().trim()),
                c.rootfs() == null ? null : new RootFs(c.rootfs().url().trim(), c.rootfs().checksum().trim(),
                        c.rootfs().format().trim().toLowerCase(Locale.ROOT)), c.template());
    }

    /** Trims documents; defaults {@code datasource} to {@code NoCloud} and {@code seed_mode} to {@code vfat} (§2.12 Chosen). */
    public static CloudInit normalizeCloudInit(CloudInit ci) {
        if (ci == null) {
            return null;
        }
        String ds = ci.datasource().trim();
        String mode = ci.seedMode().trim().toLowerCase(Locale.ROOT);
        return new CloudInit(ds.isEmpty() ? "NoCloud" : ds, mode.isEmpty() ? "vfat" : mode, doc(ci.userData()),
                doc(ci.metaData()), doc(ci.networkConfig()));
    }

    private static CloudInitDoc doc(CloudInitDoc d) {
        return d == null ? null : new CloudInitDoc(d.inline(), d.content().trim(), d.path().trim());
    }

    static NetworkConfig normalizeNetwork(NetworkConfig n) {
        return n == null ? null : new NetworkConfig(n.mode().trim().toLowerCase(Locale.ROOT), n.subnet().trim(),
                n.gateway().trim(), n.autoAssign());
    }

    /** Validation, first failure wins (control-plane.md §4.3); messages are exact. */
    public static void validate(VmConfig c) {
        if (c.plugin().isBlank()) {
            throw invalid("vmconfig: plugin is required");
        }
        if (c.runtime().isBlank()) {
            throw invalid("vmconfig: runtime is required");
        }
        if (c.manifest() == null) {
            throw invalid("vmconfig: manifest is required");
        }
        if (c.resources().cpuCores() <= 0) {
            throw invalid("vmconfig: cpu_cores must be greater than zero");
        }
        if (c.resources().memoryMb() <= 0) {
            throw invalid("vmconfig: memory_mb must be greater than zero");
        }
        for (VmConfig.Expose e : c.expose()) {
            if (e.port() <= 0) {
                throw invalid("vmconfig: expose port must be greater than zero");
            }
            if (e.port() > 65535) {
                throw invalid("vmconfig: expose port must be <= 65535");
            }
            if (e.hostPort() < 0) {
                throw invalid("vmconfig: expose host_port must be greater than zero");
            }
            if (e.hostPort() > 65535) {
                throw invalid("vmconfig: expose host_port must be <= 65535");
            }
            String p = e.protocol().toLowerCase(Locale.ROOT);
            if (!p.isEmpty() && !p.equals("tcp") && !p.equals("udp")) {
                throw invalid("vmconfig: expose protocol \"" + e.protocol() + "\" not supported");
            }
            if (!EXPOSE_MODES.contains(e.mode().toLowerCase(Locale.ROOT))) {
                throw invalid("vmconfig: expose mode \"" + e.mode() + "\" not supported");
            }
        }
        if (c.cloudInit() != null) {
            validateCloudInit(c.cloudInit(), "vmconfig: cloud_init");
        }
        if (c.network() != null) {
            String mode = c.network().mode().trim().toLowerCase(Locale.ROOT);
            if (!Set.of("vsock", "bridged", "dhcp").contains(mode)) {
                throw invalid("vmconfig: network: unsupported mode \"" + c.network().mode()
                        + "\" (must be vsock, bridged, or dhcp)");
            }
            if (mode.equals("bridged") && !c.network().subnet().isBlank() && c.network().gateway().isBlank()
                    && !c.network().autoAssign()) {
                throw invalid("vmconfig: network: bridged mode with subnet requires gateway or auto_assign");
            }
        }
        if (c.initramfs() != null && !c.initramfs().url().isBlank()) {
            media("initramfs", c.initramfs().url(), c.initramfs().checksum());
        }
        if (c.rootfs() != null && !c.rootfs().url().isBlank()) {
            media("rootfs", c.rootfs().url(), c.rootfs().checksum());
            String f = c.rootfs().format();
            if (!f.isEmpty() && !f.equals("raw") && !f.equals("qcow2")) {
                throw invalid("vmconfig: plugin manifest: rootfs format \"" + f + "\" not supported");
            }
        }
        if (!c.manifest().name().isBlank() && !c.manifest().name().equals(c.plugin())) {
            throw invalid("vmconfig: manifest name \"" + c.manifest().name() + "\" does not match plugin \""
                    + c.plugin() + "\"");
        }
    }

    static void validateCloudInit(CloudInit ci, String prefix) {
        if (ci.datasource().isBlank()) {
            throw invalid(prefix + ": datasource required");
        }
        if (!ci.seedMode().isEmpty() && !ci.seedMode().equals("vfat")) {
            throw invalid(prefix + ": unsupported seed_mode \"" + ci.seedMode() + "\"");
        }
        checkDoc(prefix, "user_data", ci.userData());
        checkDoc(prefix, "meta_data", ci.metaData());
        checkDoc(prefix, "network_config", ci.networkConfig());
    }

    private static void checkDoc(String prefix, String field, CloudInitDoc d) {
        if (d == null) {
            return;
        }
        if (!d.content().isEmpty() && !d.path().isEmpty()) {
            throw invalid(prefix + "." + field + ": content and path cannot both be set");
        }
        if (!d.content().isEmpty() && !d.inline()) {
            throw invalid(prefix + "." + field + ": inline must be true when content provided");
        }
        if (!d.path().isEmpty() && d.inline()) {
            throw invalid(prefix + "." + field + ": inline must be false when path provided");
        }
    }

    private static void media(String kind, String url, String checksum) {
        String u = url.toLowerCase(Locale.ROOT);
        if (!(u.startsWith("http://") || u.startsWith("https://") || u.startsWith("file://") || url.startsWith("/"))) {
            throw invalid("vmconfig: plugin manifest: " + kind + " url must be http(s), file://, or absolute path");
        }
        if (!checksum.isEmpty() && !checksum.contains(":") && !SHA256.matcher(checksum).matches()) {
            throw invalid("vmconfig: plugin manifest: " + kind
                    + " checksum should include algorithm prefix or be a sha256");
        }
    }

    private static InvalidArgumentException invalid(String m) {
        return new InvalidArgumentException(m);
    }

    /** The trimmed content of a document; "" when absent or a {@code path} document (the host uses content only). */
    public static String content(CloudInitDoc d) {
        return d == null ? "" : d.content().trim();
    }

    // ---- network decisions (control-plane.md §2.11, AC-N1..N3) ----

    /** {@code config.network} wholesale, else the manifest's, else none (null). */
    public static NetworkConfig effectiveNetwork(NetworkConfig fromConfig, Manifest manifest) {
        if (fromConfig != null) {
            return fromConfig;
        }
        return manifest == null ? null : manifest.network();
    }

    static String mode(NetworkConfig n) {
        return n == null ? "" : n.mode().trim().toLowerCase(Locale.ROOT);
    }

    /** A host IP is leased for none, empty and {@code bridged}. */
    public static boolean needsIp(NetworkConfig n) {
        String m = mode(n);
        return m.isEmpty() || m.equals("bridged");
    }

    /** A tap is created for every mode but {@code vsock}. */
    public static boolean needsTap(NetworkConfig n) {
        return !mode(n).equals("vsock");
    }

    // ---- cloud-init merge (§2.12) ----

    /** Manifest base merged with the config override; null when neither exists. */
    public static CloudInit mergeCloudInit(CloudInit base, CloudInit override) {
        if (base == null && override == null) {
            return null;
        }
        CloudInit b = base == null ? new CloudInit("", "", null, null, null) : base;
        if (override == null) {
            return normalizeCloudInit(b);
        }
        String ds = override.datasource().isBlank() ? b.datasource() : override.datasource();
        String mode = override.seedMode().isBlank() ? b.seedMode() : override.seedMode();
        return normalizeCloudInit(new CloudInit(ds, mode, pick(b.userData(), override.userData()),
                pick(b.metaData(), override.metaData()), pick(b.networkConfig(), override.networkConfig())));
    }

    private static CloudInitDoc pick(CloudInitDoc base, CloudInitDoc over) {
        if (over == null) {
            return base;
        }
        boolean wins = !over.content().isBlank() || !over.path().isBlank() || over.inline();
        return wins ? over : base;
    }
}
