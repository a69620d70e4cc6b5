package io.volant.volar.setup;

import io.volant.hostsetup.HostCommands;
import java.nio.file.Path;

/**
 * Where a real {@code volar setup} acts: the commands it runs and the reboot-proof forwarding file it writes
 * (host-runtime.md §4.7 Chosen). The unit file and directories come from the flags, so tests point them at temp dirs.
 *
 * @param commands   {@code ip}, {@code iptables}, {@code sysctl}, {@code systemctl}
 * @param sysctlFile {@code /etc/sysctl.d/99-volant.conf} on a real host
 */
public record SetupEffects(HostCommands commands, Path sysctlFile) {
    public static final Path SYSCTL_FILE = Path.of("/etc/sysctl.d/99-volant.conf");
}
