package io.volant.volantd.agent;

import io.volant.volantd.errors.UpstreamException;
import java.nio.file.Path;

/**
 * Transport selection of host-runtime.md §7.3 for the real backends (step 0, the simulated stub, is the core's):
 * a host-managed IP → TCP; else a hybrid vsock socket (Cloud Hypervisor) → CONNECT handshake; else 502.
 */
public final class AgentTransports {
    private AgentTransports() {}

    /**
     * @param ip          the VM's leased IP, "" or null when none
     * @param vsockSocket the instance's hybrid vsock socket, null when the backend has none
     * @throws UpstreamException {@code agent unreachable: no transport for vm <name>}
     */
    public static AgentTransport select(String vmName, String ip, Path vsockSocket) {
        return select(vmName, ip, vsockSocket, "");
    }

    /** As {@link #select(String, String, Path)}, reaching IPs inside {@code netns} when it is non-empty. */
    public static AgentTransport select(String vmName, String ip, Path vsockSocket, String netns) {
        if (ip != null && !ip.isBlank()) {
            return netns == null || netns.isBlank() ? new TcpTransport(ip.trim(), 5_000)
                    : new NetnsTcpTransport(netns.trim(), ip.trim());
        }
        if (vsockSocket != null) {
            return new HybridVsockTransport(vsockSocket);
        }
        throw new UpstreamException("agent unreachable: no transport for vm " + vmName);
    }
}
