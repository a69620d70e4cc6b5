package io.volant.volantd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;

/**
 * TCP to a guest whose bridge lives in another network namespace ({@code VOLANT_NETNS}, docs/operations.md §3.1): the
 * socket is created inside the namespace by {@link NetnsSockets}, so no process is started per request.
 */
public final class NetnsTcpTransport implements AgentTransport {
    private final NetnsSockets netns;
    private final String ip;
    private final int connectTimeoutMs;

    public NetnsTcpTransport(NetnsSockets netns, String ip, int connectTimeoutMs) {
        this.netns = netns;
        this.ip = ip;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public ByteChannel open(int port) throws IOException {
        return netns.connect(new InetSocketAddress(ip, port), connectTimeoutMs);
    }

    @Override
    public String describe() {
        return ip;
    }
}
