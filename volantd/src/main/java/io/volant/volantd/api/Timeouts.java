package io.volant.volantd.api;

import java.time.Duration;

/**
 * Per-route timeouts of api-and-cli.md §3.7 (Chosen). There is no global response-write timeout: SSE, WebSockets
 * and proxied streams run unbounded, and lifecycle mutations run to completion whatever the connection does.
 *
 * @param requestHeaders    longest time a begun request head may take to arrive (slowloris bound)
 * @param requestBody       longest pause while a request body is read (Jetty's per-request I/O idle timeout)
 * @param idle              keep-alive idle time of a connection between requests
 * @param agentHeaders      agent proxy, OpenAPI fetch through the agent, logs and DevTools metadata: time until
 *                          the agent's response head arrives (actions use their {@code timeout_ms} when > 0)
 * @param devtoolsHandshake DevTools WebSocket dial
 * @param shutdownGrace     how long in-flight requests may finish when the server stops (§4.5: 15 s)
 */
public record Timeouts(Duration requestHeaders, Duration requestBody, Duration idle, Duration agentHeaders,
        Duration devtoolsHandshake, Duration shutdownGrace) {

    /** §3.7: headers 10 s, body 60 s, keep-alive 120 s, agent headers 120 s, DevTools handshake 30 s; §4.5: 15 s. */
    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120),
                Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(15));
    }

    public Timeouts withAgentHeaders(Duration d) {
        return new Timeouts(requestHeaders, requestBody, idle, d, devtoolsHandshake, shutdownGrace);
    }

    public Timeouts withRequestHeaders(Duration d) {
        return new Timeouts(d, requestBody, idle, agentHeaders, devtoolsHandshake, shutdownGrace);
    }

    public Timeouts withRequestBody(Duration d) {
        return new Timeouts(requestHeaders, d, idle, agentHeaders, devtoolsHandshake, shutdownGrace);
    }

    public Timeouts withShutdownGrace(Duration d) {
        return new Timeouts(requestHeaders, requestBody, idle, agentHeaders, devtoolsHandshake, d);
    }
}
