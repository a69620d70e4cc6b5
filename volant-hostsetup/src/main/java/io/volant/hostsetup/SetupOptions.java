package io.volant.hostsetup;

/**
 * The resolved options of {@code volar setup} (host-runtime.md §4.7): defaults applied, paths expanded and absolute.
 *
 * @param serviceFile unit path, "" to skip the unit
 * @param hypervisor  absolute Cloud Hypervisor (or QEMU) path when resolved, "" otherwise
 */
public record SetupOptions(String bridge, String subnet, String hostIp, String runtimeDir, String logDir,
        String serviceFile, String workDir, String bzImage, String vmlinux, String volantdBinary, String hypervisor) {

    /** {@code <host ip>/<subnet prefix>}. */
    public String hostCidr() {
        int slash = subnet.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid subnet " + subnet + ": missing prefix length");
        }
        return hostIp + subnet.substring(slash);
    }
}
