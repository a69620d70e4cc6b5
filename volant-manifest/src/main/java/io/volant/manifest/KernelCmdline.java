package io.volant.manifest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Composition of the guest kernel command line (plugins-and-guest.md §1.9, host-runtime.md §3.5): base, then
 * the per-VM extra arguments, then the Volant arguments as {@code key=value} tokens sorted by key (§7 G7). The
 * result is refused when longer than the guest kernel keeps (2047 bytes unless the kernel says otherwise),
 * because the guest would silently truncate it and the manifest would not decode.
 */
public final class KernelCmdline {
    /** x86-64 {@code COMMAND_LINE_SIZE} is 2048 including the terminating NUL. */
    public static final int DEFAULT_MAX_BYTES = 2047;

    /** The fixed head of every base command line; the {@code ip=} token follows. */
    public static final String BASE_PREFIX =
            "console=ttyS0 reboot=k panic=1 quiet loglevel=1 i8042.noaux i8042.nokbd pci=lastbus=0";

    public static final String KEY_MANIFEST = "volant.manifest";
    public static final String KEY_PLUGIN = "volant.plugin";
    public static final String KEY_API_HOST = "volant.api_host";
    public static final String KEY_API_PORT = "volant.api_port";
    public static final String KEY_RUNTIME = "volant.runtime";
    public static final String KEY_ROOTFS_DEVICE = "volant.rootfs_device";
    public static final String KEY_ROOTFS_FSTYPE = "volant.rootfs_fstype";
    public static final String KEY_BOOT = "volant.boot";
    public static final String KEY_OVERLAY_SIZE = "volant.overlay_size";

    private static final List<String> FS_FORMATS = List.of("ext4", "xfs", "btrfs", "squashfs");

    private KernelCmdline() {}

    /**
     * The guest hostname for a VM name: lower-cased, everything but {@code a-z}, {@code 0-9}, {@code -} removed,
     * {@code vm} when nothing remains.
     */
    public static String sanitizeHostname(String vmName) {
        String lower = Text.orEmpty(vmName).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                b.append(c);
            }
        }
        return b.isEmpty() ? "vm" : b.toString();
    }

    /** {@code ip=<ip>::<gateway>:<netmask>:<hostname>:eth0:off}; {@code ip} is empty in vsock mode. */
    public static String staticIpToken(String ip, String gateway, String netmask, String hostname) {
        return "ip=" + Text.orEmpty(ip) + "::" + Text.orEmpty(gateway) + ":" + Text.orEmpty(netmask) + ":"
                + Text.orEmpty(hostname) + ":eth0:off";
    }

    /** {@code ip=::::<hostname>:eth0:dhcp} (§7 G8: upstream's static form with an empty address is broken). */
    public static String dhcpIpToken(String hostname) {
        return "ip=::::" + Text.orEmpty(hostname) + ":eth0:dhcp";
    }

    /**
     * The base command line (§1.9 step 1) for a network mode ({@code bridged}, {@code dhcp}, {@code vsock}; blank
     * means bridged). The address is dropped in vsock mode, and dhcp uses the dhcp form of {@code ip=}.
     *
     * @param vmName raw VM name; sanitized with {@link #sanitizeHostname}
     */
    public static String base(String networkMode, String ip, String gateway, String netmask, String vmName) {
        String mode = Text.trimLower(networkMode);
        String hostname = sanitizeHostname(vmName);
        String token = switch (mode) {
            case NetworkConfig.DHCP -> dhcpIpToken(hostname);
            case NetworkConfig.VSOCK -> staticIpToken("", gateway, netmask, hostname);
            default -> staticIpToken(ip, gateway, netmask, hostname);
        };
        return BASE_PREFIX + " " + token;
    }

    /** {@link #build(String, String, Map, int)} with the default limit of 2047 bytes. */
    public static String build(String base, String extraArgs, Map<String, String> volantArgs) {
        return build(base, extraArgs, volantArgs, DEFAULT_MAX_BYTES);
    }

    /**
     * Composes {@code base}, a space and {@code extraArgs} (when not blank), then each Volant argument as
     * {@code key=value} sorted by key (value trimmed; an empty value gives the bare key; an empty key is skipped),
     * single spaces between tokens, the whole trimmed.
     *
     * @param maxBytes the guest kernel's limit in bytes, excluding the terminating NUL
     * @throws ManifestException {@code kernel command line too long (<n> > <max> bytes)} when over the limit, or
     *                           when a key or value would split into several tokens (whitespace, quote, {@code =}
     *                           in a key)
     */
    public static String build(String base, String extraArgs, Map<String, String> volantArgs, int maxBytes) {
        StringBuilder b = new StringBuilder(Text.trim(base));
        String extra = Text.trim(extraArgs);
        if (!extra.isEmpty()) {
            b.append(' ').append(extra);
        }
        SortedMap<String, String> sorted = new TreeMap<>(Text.CODE_POINT_ORDER);
        if (volantArgs != null) {
            volantArgs.forEach((k, v) -> {
                String key = Text.trim(k);
                if (!key.isEmpty()) {
                    sorted.put(key, Text.trim(v));
                }
            });
        }
        sorted.forEach((key, value) -> {
            checkToken(key, value);
            b.append(' ').append(key);
            if (!value.isEmpty()) {
                b.append('=').append(value);
            }
        });
        String cmdline = Text.trim(b.toString());
        checkLength(cmdline, maxBytes);
        return cmdline;
    }

    /** @throws ManifestException {@code kernel command line too long (<n> > <max> bytes)} when over the limit */
    public static void checkLength(String cmdline, int maxBytes) {
        int n = cmdline.getBytes(StandardCharsets.UTF_8).length;
        if (n > maxBytes) {
            throw new ManifestException("kernel command line too long (" + n + " > " + maxBytes + " bytes)");
        }
    }

    /**
     * The command-line limit of a kernel image from the start of its file (host-runtime.md §3.5): for a bzImage
     * (magic {@code HdrS} at 0x202, boot protocol at 0x206 ≥ 0x0206) the little-endian {@code cmdline_size} at
     * 0x238, otherwise (vmlinux, short or unknown header) {@link #DEFAULT_MAX_BYTES}.
     *
     * @param header at least the first 0x23C bytes of the kernel file, or fewer (then the default applies)
     */
    public static int maxBytesFromKernelHeader(byte[] header) {
        if (header == null || header.length < 0x23C) {
            return DEFAULT_MAX_BYTES;
        }
        boolean magic = header[0x202] == 'H' && header[0x203] == 'd' && header[0x204] == 'r' && header[0x205] == 'S';
        int protocol = (header[0x206] & 0xFF) | (header[0x207] & 0xFF) << 8;
        if (!magic || protocol < 0x0206) {
            return DEFAULT_MAX_BYTES;
        }
        long size = (header[0x238] & 0xFFL) | (header[0x239] & 0xFFL) << 8 | (header[0x23A] & 0xFFL) << 16
                | (header[0x23B] & 0xFFL) << 24;
        return size <= 0 || size > Integer.MAX_VALUE ? DEFAULT_MAX_BYTES : (int) size;
    }

    /**
     * The boot keys for a VM (§1.9 table, §7 G2/G6): {@code volant.boot} always ({@code rootfs} when a rootfs is
     * attached, else {@code initramfs}); with a rootfs also {@code volant.rootfs_device=vda} and
     * {@code volant.rootfs_fstype} (the rootfs format when it names a file system, else {@code ext4}), each only
     * when {@code extraArgs} does not already set it (the user's value wins).
     *
     * @param rootfs the effective rootfs (manifest or VM-config override); not attached when its URL is blank
     */
    public static Map<String, String> bootArgs(RootFs rootfs, String extraArgs) {
        Map<String, String> out = new TreeMap<>(Text.CODE_POINT_ORDER);
        boolean attached = rootfs != null && rootfs.isSet();
        out.put(KEY_BOOT, attached ? "rootfs" : "initramfs");
        if (attached) {
            BootArgs extra = BootArgs.parse(extraArgs);
            if (!extra.has(KEY_ROOTFS_DEVICE)) {
                out.put(KEY_ROOTFS_DEVICE, "vda");
            }
            if (!extra.has(KEY_ROOTFS_FSTYPE)) {
                String format = Text.trimLower(rootfs.format());
                out.put(KEY_ROOTFS_FSTYPE, FS_FORMATS.contains(format) ? format : "ext4");
            }
        }
        return out;
    }

    private static void checkToken(String key, String value) {
        if (!isTokenSafe(key, true)) {
            throw new ManifestException("kernel argument " + Text.quote(key)
                    + ": key must not contain whitespace, quotes or '='");
        }
        if (!isTokenSafe(value, false)) {
            throw new ManifestException("kernel argument " + key + ": value " + Text.quote(value)
                    + " must not contain whitespace or quotes");
        }
    }

    private static boolean isTokenSafe(String s, boolean isKey) {
        return s.codePoints().noneMatch(cp ->
                Text.isGoSpace(cp) || Character.isISOControl(cp) || cp == '"' || (isKey && cp == '='));
    }
}
