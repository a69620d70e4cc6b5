package io.volant.volantd.agent;

/**
 * Implemented by the real launchers: the transport to a VM's agent per host-runtime.md §7.3 steps 1-2, knowing the
 * launcher's network namespace and hybrid vsock sockets. Launchers hand it out through {@code Launcher.agentAccess()};
 * the simulated backend answers with its in-process stub instead.
 */
public interface AgentAccess {

    /**
     * @param ip the VM's leased IP, "" when it has none
     * @throws io.volant.volantd.errors.UpstreamException {@code agent unreachable: no transport for vm <name>}
     */
    AgentTransport agentTransport(String vmName, String ip);
}
