package io.volant.volantd.api;

import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.console.ConsoleAccess;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.publish.PublishService;
import io.volant.volantd.vfio.VfioManager;
import io.volant.volantd.vm.VmService;

/**
 * Everything the HTTP layer calls, built by {@code Main} through constructors. Optional parts have
 * stand-ins that answer with the spec's "not available" errors, so handlers never check for null.
 *
 * @param system    listen/advertise/host-IP values for {@code /api/v1/system/info}
 * @param console   serial console sessions ({@link ConsoleAccess#unavailable()} until the host runtime lands)
 * @param agent     HTTP to in-guest agents ({@link AgentGateway#none()} without a transport)
 * @param drift     driftd client ({@link DriftClient#notConfigured()} without {@code VOLANT_DRIFT_ENDPOINT})
 * @param simulated test controls of the simulated backend, or {@link SimulatedControls#absent()}
 * @param publishing published ports of VMs and deployments
 * @param nodes     the nodes of {@code GET /api/v1/nodes} (docs/cluster.md)
 */
public record ApiServices(
        VmService vms,
        DeploymentService deployments,
        PluginRegistry plugins,
        EventBus events,
        VfioManager vfio,
        SystemInfo system,
        ConsoleAccess console,
        AgentGateway agent,
        DriftClient drift,
        SimulatedControls simulated,
        PrometheusMeterRegistry metrics,
        PublishService publishing,
        io.volant.volantd.cluster.NodeDirectory nodes) {

    /** For tests that never call the published-port or node routes: {@code GET /api/v1/nodes} answers 503. */
    public ApiServices(VmService vms, DeploymentService deployments, PluginRegistry plugins, EventBus events,
                       VfioManager vfio, SystemInfo system, ConsoleAccess console, AgentGateway agent, DriftClient drift,
                       SimulatedControls simulated, PrometheusMeterRegistry metrics) {
        this(vms, deployments, plugins, events, vfio, system, console, agent, drift, simulated, metrics, null);
    }

    /** For tests that never call the node routes: {@code GET /api/v1/nodes} answers 503. */
    public ApiServices(VmService vms, DeploymentService deployments, PluginRegistry plugins, EventBus events,
                       VfioManager vfio, SystemInfo system, ConsoleAccess console, AgentGateway agent, DriftClient drift,
                       SimulatedControls simulated, PrometheusMeterRegistry metrics, PublishService publishing) {
        this(vms, deployments, plugins, events, vfio, system, console, agent, drift, simulated, metrics, publishing, () -> {
            throw new io.volant.volantd.errors.UnavailableException("node directory not wired");
        });
    }

    /**
     * Values shown by {@code GET /api/v1/system/info} (api-and-cli.md §2.2, §4.3); {@code templates} gives the
     * template count and sizes (docs/templates.md).
     */
    public record SystemInfo(String apiListenAddr, String apiAdvertiseAddr, String hostIp,
            java.util.function.Supplier<io.volant.volantd.template.TemplateManager.Stats> templates) {
        public SystemInfo(String apiListenAddr, String apiAdvertiseAddr, String hostIp) {
            this(apiListenAddr, apiAdvertiseAddr, hostIp,
                    () -> new io.volant.volantd.template.TemplateManager.Stats(0, 0, 0));
        }
    }
}
