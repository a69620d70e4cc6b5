package io.volant.volar.setup;

/**
 * The inputs of {@code volar setup} after flags and environment variables were applied. Empty strings take the
 * literal defaults of host-runtime.md §4.7 step 1; {@link SetupResolver} turns them into the resolved options.
 *
 * @param volantdPath    the volantd executable for the unit's {@code ExecStart} ("" = unknown)
 * @param hypervisorPath absolute path of the hypervisor binary when resolved ("" = omit {@code VOLANT_HYPERVISOR})
 * @param home           expansion of {@code ~}
 * @param cwd            base for relative paths
 */
public record SetupFlags(String bridge, String subnet, String hostIp, String runtimeDir, String logDir,
        String serviceFile, String workDir, String bzimage, String vmlinux, String volantdPath,
        String hypervisorPath, String home, String cwd) {
}
