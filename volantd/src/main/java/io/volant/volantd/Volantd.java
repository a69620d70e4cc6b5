package io.volant.volantd;

import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.console.ConsoleAccess;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.console.ConsoleProvider;
import io.volant.volantd.deployment.DeploymentController;
import io.volant.volantd.deployment.HealthMonitor;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.hypervisor.template.SimulatedTemplating;
import io.volant.volantd.template.TemplateManager;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.publish.PublishService;
import io.volant.volantd.publish.Publisher;
import io.volant.volantd.store.Store;
import io.volant.volantd.simulated.SimulatedBackend;
import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.vfio.VfioManager;
import io.volant.volantd.vm.VmService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * volantd's domain, built from a {@link VolantdConfig} by constructors: store, event bus, plugin registry,
 * launcher, network, VM service, deployment controller. Lifecycle: {@link #builder} → {@link VolantdBuilder#build()}
 * (opens and migrates the store, loads plugins) → {@link #start()} (IP sweep, recovery, controller) → serve →
 * {@link #close()} (controller, VMs, launcher, store — in that order). Main stays tiny.
 */
public final class Volantd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Volantd.class);
    private static final int WORKERS = 4;
    private static final java.time.Duration TEMPLATE_GC = java.time.Duration.ofSeconds(30);

    private final VolantdConfig config;
    private final Store store;
    private final EventBus events;
    private final PluginRegistry plugins;
    private final Launcher launcher;
    private final VmService vms;
    private final DeploymentController controller;
    private final DeploymentService deployments;
    private final HealthMonitor health;
    private final VfioManager vfio;
    private final DriftClient drift;
    private final AgentGateway agent;
    private final SimulatedBackend simulated;
    private final TemplateManager templates;
    private final PrometheusMeterRegistry metrics;
    private final Publisher publisher;
    private final PublishService publishing;
    private volatile boolean closed;

    Volantd(VolantdConfig config, Store store, EventBus events, PluginRegistry plugins, Launcher launcher,
                    VmService vms, DeploymentController controller, DeploymentService deployments, HealthMonitor health,
                    VfioManager vfio, DriftClient drift, TemplateManager templates, PrometheusMeterRegistry metrics,
                    Publisher publisher, PublishService publishing, AgentGateway agent) {
        this.drift = drift;
        this.templates = templates;
        this.metrics = metrics;
        this.publisher = publisher;
        this.publishing = publishing;
        this.agent = agent;
        this.simulated = launcher instanceof SimulatedLauncher s ? new SimulatedBackend(s, vms) : null;
        this.config = config;
        this.store = store;
        this.events = events;
        this.plugins = plugins;
        this.launcher = launcher;
        this.vms = vms;
        this.controller = controller;
        this.deployments = deployments;
        this.health = health;
        this.vfio = vfio;
    }

    /** The EXTENSION C monitor, when enabled. */
    public Optional<HealthMonitor> health() {
        return Optional.ofNullable(health);
    }

    public static VolantdBuilder builder(VolantdConfig config) {
        return new VolantdBuilder(config);
    }

    public VolantdConfig config() {
        return config;
    }

    public VmService vms() {
        return vms;
    }

    public DeploymentService deployments() {
        return deployments;
    }

    public DeploymentController controller() {
        return controller;
    }

    public PluginRegistry plugins() {
        return plugins;
    }

    public EventBus events() {
        return events;
    }

    public Launcher launcher() {
        return launcher;
    }

    /** The driftd client the engine and the {@code /api/v1/drift} routes share (not-configured stand-in when off). */
    public DriftClient drift() {
        return drift;
    }

    /** Templates and clones (docs/templates.md). */
    public TemplateManager templates() {
        return templates;
    }

    /** The registry {@code /metrics} serves; the engine's meters (clone starts, templates) are in it. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The built-in port publisher (docs/publishing.md). */
    public Publisher publisher() {
        return publisher;
    }

    /** Publishing and withdrawing ports of VMs and deployments. */
    public PublishService publishing() {
        return publishing;
    }

    /** The VFIO manager the VMs use (the host's sysfs one on real backends, "not supported" on simulated). */
    public VfioManager vfio() {
        return vfio;
    }

    /** The launcher's serial console hub (host-runtime.md §7.2); empty for the simulated backend. */
    public Optional<ConsoleHub> console() {
        return launcher instanceof ConsoleProvider p ? Optional.of(p.consoleHub()) : Optional.empty();
    }

    /**
     * HTTP to the in-guest agents (host-runtime.md §7.3): over the launcher's transports on real backends, the
     * in-process stub on the simulated one, {@link AgentGateway#none()} when the launcher has no transport.
     */
    public AgentGateway agent() {
        return agent;
    }

    /** Interactive serial sessions: the launcher's hub, the simulated echo console, or always 503. */
    public ConsoleAccess consoleAccess() {
        return console().map(ConsoleAccess::of)
                .orElse(simulated != null ? simulated.console() : ConsoleAccess.unavailable());
    }

    /** The simulated backend's test controls ({@link SimulatedControls#absent()} on real backends). */
    public SimulatedControls simulatedControls() {
        return simulated != null ? simulated : SimulatedControls.absent();
    }

    /** The simulated backend's test controls, present only with {@code VOLANT_RUNTIME_BACKEND=simulated}. */
    public Optional<SimulatedLauncher> simulated() {
        return launcher instanceof SimulatedLauncher s ? Optional.of(s) : Optional.empty();
    }

    /** The simulated backend's template controls, present only with {@code VOLANT_RUNTIME_BACKEND=simulated}. */
    public Optional<SimulatedTemplating> simulatedTemplates() {
        return templates.templating().filter(SimulatedTemplating.class::isInstance).map(SimulatedTemplating.class::cast);
    }

    /** Number of VM rows (system status). */
    public int vmCount() {
        return store.read(tx -> tx.vms().count());
    }

    /** Summary of VMs and plugins (control-plane.md §8, Chosen). */
    public SystemSummary summary() {
        Object[] counts = store.read(tx -> new Object[] {tx.vms().count(), tx.vms().countByStatus(), tx.vms().countByRuntime()});
        List<Plugin> ps = plugins.list();
        List<SystemSummary.PluginEntry> entries = new ArrayList<>();
        int enabled = 0;
        for (Plugin p : ps) {
            entries.add(new SystemSummary.PluginEntry(p.name(), p.version(), p.enabled()));
            enabled += p.enabled() ? 1 : 0;
        }
        @SuppressWarnings("unchecked")
        Map<String, Integer> byStatus = (Map<String, Integer>) counts[1];
        @SuppressWarnings("unchecked")
        Map<String, Integer> byRuntime = (Map<String, Integer>) counts[2];
        return new SystemSummary((Integer) counts[0], byStatus, byRuntime, ps.size(), enabled, entries);
    }

    /** IP pool sweep, startup recovery (control-plane.md §2.10 item 9), then the deployment controller. */
    public void start() {
        templates.recover();
        vms.recover();
        publisher.start(); // after recovery: adopted VMs are live, so the first table is already complete
        templates.startHousekeeping(TEMPLATE_GC);
        controller.start(WORKERS);
        if (health != null) {
            health.start();
        }
        log.info("volantd engine started backend={} db={}", launcher.backend(), store.path());
    }

    /** Graceful shutdown: controller, then every VM in parallel (§2.10 item 8), launcher, store. Idempotent. */
    @Override
    public synchronized void close() {
        stop(true);
    }

    /**
     * Drops everything without any cleanup, as if the process had been killed: no row is updated, no event is
     * published; the simulated instances vanish. For recovery tests.
     */
    public synchronized void halt() {
        stop(false);
    }

    private void stop(boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        templates.close();
        if (health != null) {
            health.close();
        }
        if (graceful) {
            controller.close();
            publisher.close();
            vms.shutdown(config.leaveVmsRunningOnShutdown());
        } else {
            publisher.halt();
            vms.halt();
            controller.close();
        }
        agent.close();
        launcher.close();
        store.close();
        if (graceful) {
            log.info("volantd engine stopped");
        }
    }
}
