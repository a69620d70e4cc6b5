package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.volantd.agent.AgentHttp;
import io.volant.volantd.agent.AgentTransport;
import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Cloud Hypervisor's REST API over its Unix socket, through volantd's one HTTP client ({@link AgentHttp}). */
public final class ChApiClient {
    /** A snapshot of a large guest takes a while; the old client had no bound at all. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(10);
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
        return put(action, null);
    }

    /**
     * Sends {@code PUT /api/v1/<action>} with {@code jsonBody} ({@code application/json}; null for none) and returns
     * the status code.
     *
     * @throws HypervisorException when the socket cannot be reached or the answer is not HTTP
     */
    public int put(String action, String jsonBody) {
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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "*/*");
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        try (AgentHttp http = new AgentHttp()) {
            return http.request(unix, 0, "PUT", "/api/v1/" + action, headers, body, 64 * 1024, ANSWER_TIMEOUT)
                    .status();
        } catch (IOException | RuntimeException e) {
            throw new HypervisorException("cloudhypervisor: " + action + ": " + e.getMessage(), e);
        }
    }

    /** {@link #put(String, String)} that accepts only 2xx. @throws HypervisorException naming the status */
    public void call(String action, String jsonBody) {
        int code = put(action, jsonBody);
        if (code < 200 || code > 299) {
            throw new HypervisorException("cloudhypervisor: " + action + ": status " + code);
        }
    }
}
