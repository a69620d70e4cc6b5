package io.volant.volantd.agent;

import io.volant.volantd.errors.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 to the in-guest agent of one VM (host-runtime.md §7.3): used by the agent proxy, plugin actions, the
 * workload OpenAPI fetch and the logs stream. Transport selection is the implementation's business.
 */
public interface AgentGateway extends AutoCloseable {

    /**
     * Sends one request; the response body is streamed and must be closed by the caller.
     *
     * @param vm      the VM's name
     * @param ip      the VM's leased IP, "" when it has none
     * @param timeout time allowed until the response headers arrive
     * @throws io.volant.volantd.errors.UpstreamException 502 {@code agent unreachable: no transport for vm <name>} when the VM cannot be reached
     * @throws IOException  on transport failures (the caller answers 502 with the text)
     */
    Response send(String vm, String ip, Request request, Duration timeout) throws IOException;

    /**
     * Dials a WebSocket in the guest (the DevTools relay, api-and-cli.md §2.10.3): java.net.http, no proxy,
     * {@code handshake} as connect timeout. Implementations whose guests are not reachable by URL override it.
     */
    default java.util.concurrent.CompletableFuture<java.net.http.WebSocket> openWebSocket(String vm, String ip, java.net.URI target,
            java.net.http.WebSocket.Listener listener, Duration handshake) {
        return java.net.http.HttpClient.newBuilder().connectTimeout(handshake).build().newWebSocketBuilder()
                .connectTimeout(handshake).buildAsync(target, listener);
    }

    /** Releases the gateway's connections and relays (volantd's shutdown); nothing by default. */
    @Override
    default void close() {}

    /** {@code path} starts with {@code /} and may carry a raw query. */
    record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {}

    record Response(int status, Map<String, List<String>> headers, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** No transport at all: every call is 502. */
    static AgentGateway none() {
        return (vm, ip, request, timeout) -> {
            throw new UpstreamException("agent unreachable: no transport for vm " + vm);
        };
    }
}
