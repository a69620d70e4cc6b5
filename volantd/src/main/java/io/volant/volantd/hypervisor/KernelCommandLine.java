package io.volant.volantd.hypervisor;

import io.volant.manifest.KernelCmdline;
import io.volant.manifest.ManifestException;
import io.volant.volantd.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one place volantd composes a guest's kernel command line (plugins-and-guest.md §1.9, host-runtime.md §3.5);
 * the grammar itself is the manifest module's {@link KernelCmdline}, shared with kestrel. A VM's line has two parts:
 * the <em>stored</em> line (base with {@code ip=} plus the user's extras), fixed at create and config time and kept
 * in its row, and the {@code volant.*} arguments resolved at every launch; {@link #forKernel} joins them.
 */
public final class KernelCommandLine {
    /** Bytes the first check allows, before a kernel is staged: the x86 boot protocol's default. */
    public static final int DEFAULT_LIMIT = KernelCmdline.DEFAULT_MAX_BYTES;

    private KernelCommandLine() {}

    /** The stored line: the base with {@code ip=} for {@code networkMode} plus the user's {@code extras}, if any. */
    public static String stored(String networkMode, String ip, String gateway, String netmask, String vmName,
            String extras) {
        String line = KernelCmdline.base(networkMode, ip == null ? "" : ip, gateway, netmask, vmName);
        return extras == null || extras.isBlank() ? line : line + " " + extras.trim();
    }

    /**
     * 400 when the stored line and {@code args} would not fit {@link #DEFAULT_LIMIT}, naming length and limit:
     * checked before a launch acquires anything.
     */
    public static void checkFits(String stored, Map<String, String> args) {
        try {
            KernelCmdline.build(stored, "", args, DEFAULT_LIMIT);
        } catch (ManifestException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The line handed to {@code stagedKernel}: the spec's stored line and its sorted {@code volant.*} arguments,
     * refused when longer than that kernel keeps (its bzImage header says; {@link #DEFAULT_LIMIT} otherwise).
     *
     * @throws HypervisorException {@code kernel command line too long (<n> > <max> bytes)} or a malformed argument
     */
    public static String forKernel(LaunchSpec spec, Path stagedKernel) throws IOException {
        byte[] header;
        try (InputStream in = Files.newInputStream(stagedKernel)) {
            header = in.readNBytes(0x240);
        }
        return forLimit(spec, KernelCmdline.maxBytesFromKernelHeader(header));
    }

    /** {@link #forKernel} against a known limit. */
    public static String forLimit(LaunchSpec spec, int maxBytes) {
        try {
            return KernelCmdline.build(spec.kernelCmdline(), "", spec.args(), maxBytes);
        } catch (ManifestException e) {
            throw new HypervisorException(e.getMessage(), e);
        }
    }
}
