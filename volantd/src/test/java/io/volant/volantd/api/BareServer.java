package io.volant.volantd.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.vfio.InMemoryVfioManager;

/** A real API server on port 0 without a domain (only the in-memory VFIO twin), for HTTP-layer tests. */
final class BareServer {
    private BareServer() {}

    static ApiServer start(ApiSettings settings, Timeouts timeouts) {
        ApiServices services = new ApiServices(null, null, null, null, new InMemoryVfioManager(),
                new ApiServices.SystemInfo("127.0.0.1:0", "192.168.127.1:0", "192.168.127.1"),
                ConsoleAccess.unavailable(), AgentGateway.none(), DriftClient.notConfigured(), SimulatedControls.absent(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        return new ApiServer(settings, services, timeouts).start("127.0.0.1", 0);
    }
}
