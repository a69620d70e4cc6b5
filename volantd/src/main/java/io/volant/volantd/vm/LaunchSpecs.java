package io.volant.volantd.vm;

import io.volant.manifest.Manifest;
import io.volant.manifest.ManifestCodec;
import io.volant.volantd.config.HostPort;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.errors.InvalidArgumentException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Pure functions composing kernel command lines and {@code volant.*} arguments (plugins-and-guest.md §1.9). */
public final class LaunchSpecs {
    public static final int CMDLINE_LIMIT = 2047;
    private static final String BASE = "console=ttyS0 reboot=k panic=1 quiet loglevel=1 i8042.noaux i8042.nokbd pci=lastbus=0";
    private static final Set<String> FILESYSTEMS = Set.of("ext4", "xfs", "btrfs", "squashfs");

    private LaunchSpecs() {}

    /** The stored line: base with {@code ip=} plus user extras (§1.7). */
    public static String storedCmdline(String ip, String gateway, String netmask, String hostname, String extras) {
        String line = BASE + " ip=" + (ip == null ? "" : ip) + "::" + gateway + ":" + netmask + ":" + hostname + ":eth0:off";
        return extras == null || extras.isBlank() ? line : line + " " + extras.trim();
    }

    /** The guest → volantd endpoint (§1.7), resolved at every launch. */
    public static HostPort guestEndpoint(VmConfig.Api api, VolantdConfig cfg) {
        String host = api.host().trim();
        String port = api.port().trim();
        if (port.equals("0")) {
            port = "";
        }
        HostPort adv = HostPort.split(cfg.apiAdvertise());
        HostPort listen = HostPort.split(cfg.apiListen());
        String defHost = HostPort.routable(adv.host()) ? adv.host() : cfg.hostIp();
        String defPort = adv.port().isEmpty() || adv.port().equals("0") ? listen.port() : adv.port();
        return new HostPort(host.isEmpty() ? defHost : host, port.isEmpty() ? defPort : port);
    }

    /** The {@code volant.*} arguments (§1.6 Args, plugins-and-guest.md §1.9 Chosen). */
    public static Map<String, String> args(VmConfig cfg, Manifest manifest, HostPort endpoint, String rootfsUrl,
                                           String rootfsFormat, String storedCmdline) {
        Map<String, String> a = new TreeMap<>();
        a.put("volant.runtime", cfg.runtime());
        a.put("volant.api_host", endpoint.host());
        a.put("volant.api_port", endpoint.port());
        if (!cfg.plugin().isBlank()) {
            a.put("volant.plugin", cfg.plugin());
        }
        if (manifest != null) {
            a.put("volant.manifest", ManifestCodec.encodeGuest(manifest));
        }
        boolean rootfs = rootfsUrl != null && !rootfsUrl.isBlank();
        a.put("volant.boot", rootfs ? "rootfs" : "initramfs");
        if (rootfs) {
            if (!hasKey(storedCmdline, "volant.rootfs_device")) {
                a.put("volant.rootfs_device", "vda");
            }
            if (!hasKey(storedCmdline, "volant.rootfs_fstype")) {
                a.put("volant.rootfs_fstype", FILESYSTEMS.contains(rootfsFormat) ? rootfsFormat : "ext4");
            }
        }
        return a;
    }

    /** {@code qcow2} when the effective rootfs format is qcow2, else {@code raw}. */
    public static String rootfsFormat(String format) {
        return "qcow2".equals(format) ? "qcow2" : "raw";
    }

    /** The full line handed to the kernel must fit: 400 naming length and limit otherwise. */
    public static void checkLength(String storedCmdline, Map<String, String> args) {
        int len = storedCmdline.length();
        for (Map.Entry<String, String> e : args.entrySet()) {
            len += 1 + e.getKey().length() + (e.getValue().isEmpty() ? 0 : 1 + e.getValue().length());
        }
        if (len > CMDLINE_LIMIT) {
            throw new InvalidArgumentException("kernel command line is " + len + " bytes, limit " + CMDLINE_LIMIT);
        }
    }

    private static boolean hasKey(String cmdline, String key) {
        for (String t : cmdline.split("\\s+")) {
            if (t.startsWith(key + "=")) {
                return true;
            }
        }
        return false;
    }
}
