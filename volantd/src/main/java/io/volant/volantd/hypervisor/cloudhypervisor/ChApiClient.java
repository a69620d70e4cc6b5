package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.volantd.agent.AgentHttp;
import io.volant.volantd.agent.AgentTransport;
import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/** Cloud Hypervisor's REST API over its Unix socket, through volantd's one HTTP client ({@link AgentHttp}). */
public final class ChApiClient {
    private final Path socket;

    public ChApiClient(Path socket) {
        this.socket = socket;
    }

    /**
     * Sends {@code PUT /api/v1/<action>} with an empty body and returns the status code.
     *
     * @throws HypervisorException when the socket cannot be reached or the answer is not HTTP
     */
    public int put(String action) {
        AgentTransport unix = new AgentTransport() {
            @Override
            public ByteChannel open(int port) throws IOException {
                return SocketChannel.open(UnixDomainSocketAddress.of(socket));
            }

            @Override
            public String describe() {
                return "unix:" + socket;
            }
        };
        try (AgentHttp http = new AgentHttp()) {
            return http.request(unix, 0, "PUT", "/api/v1/" + action, Map.of("Accept", "*/*"), new byte[0], 64 * 1024)
                    .status();
        } catch (IOException | RuntimeException e) {
            throw new HypervisorException("cloudhypervisor: " + action + ": " + e.getMessage(), e);
        }
    }
}
