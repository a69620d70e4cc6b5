package io.volant.volantd.agent;

import io.volant.volantd.errors.UpstreamException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Transport selection of host-runtime.md §7.3 for the real backends (step 0, the simulated stub, is the core's):
 * a host-managed IP → TCP (inside {@code netns} when set); else a hybrid vsock socket (Cloud Hypervisor) → CONNECT
 * handshake; else 502. One per launcher: it owns the thread that opens sockets inside the namespace, entered on
 * first use and again after a failure (the namespace may appear after volantd started).
 */
public final class AgentTransports implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String netns;
    private NetnsSockets sockets;

    /** @param netns the network namespace the guests' bridge lives in, "" for volantd's own */
    public AgentTransports(String netns) {
        this.netns = netns == null ? "" : netns.trim();
    }

    /**
     * @param ip          the VM's leased IP, "" or null when none
     * @param vsockSocket the instance's hybrid vsock socket, null when the backend has none
     * @throws UpstreamException {@code agent unreachable: no transport for vm <name>}, or naming the namespace that
     *                           cannot be entered
     */
    public AgentTransport select(String vmName, String ip, Path vsockSocket) {
        if (ip != null && !ip.isBlank()) {
            return netns.isEmpty() ? new TcpTransport(ip.trim(), CONNECT_TIMEOUT_MS)
                    : new NetnsTcpTransport(sockets(), ip.trim(), CONNECT_TIMEOUT_MS);
        }
        if (vsockSocket != null) {
            return new HybridVsockTransport(vsockSocket);
        }
        throw new UpstreamException("agent unreachable: no transport for vm " + vmName);
    }

    private synchronized NetnsSockets sockets() {
        if (sockets == null) {
            try {
                sockets = NetnsSockets.enter(netns);
            } catch (IOException e) {
                throw new UpstreamException("agent unreachable: network namespace " + netns + ": " + e.getMessage(), e);
            }
        }
        return sockets;
    }

    @Override
    public synchronized void close() {
        if (sockets != null) {
            sockets.close();
            sockets = null;
        }
    }
}
