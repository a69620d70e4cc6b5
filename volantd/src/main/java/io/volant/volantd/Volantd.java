package io.volant.volantd;

import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.agent.HttpAgentProbe;
import io.volant.volantd.agent.TransportAgentGateway;
import io.volant.volantd.cloudinit.PlainSeedBuilder;
import io.volant.volantd.cloudinit.SeedBuilder;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.console.ConsoleAccess;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.console.ConsoleProvider;
import io.volant.volantd.deployment.DeploymentController;
import io.volant.volantd.deployment.HealthMonitor;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.deployment.ReadinessProbe;
import io.volant.volantd.drift.DriftClient;
import io.volant.volantd.drift.DriftExposure;
import io.volant.volantd.drift.HttpDriftClient;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.InMemoryEventBus;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.hypervisor.template.SimulatedTemplating;
import io.volant.volantd.hypervisor.template.Templating;
import io.volant.volantd.template.TemplateManager;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.volant.volantd.network.InMemoryNetworkManager;
import io.volant.volantd.network.InMemoryPortForwarding;
import io.volant.volantd.network.NetworkManager;
import io.volant.volantd.network.PortForwarding;
import io.volant.volantd.plugin.Plugin;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.hypervisor.process.HypervisorProcesses;
import io.volant.volantd.hypervisor.process.ProcHypervisorProcesses;
import io.volant.volantd.publish.PublishService;
import io.volant.volantd.publish.Publisher;
import io.volant.volantd.store.Store;
import io.volant.volantd.vfio.UnsupportedVfioManager;
import io.volant.volantd.simulated.SimulatedAgent;
import io.volant.volantd.simulated.SimulatedBackend;
import io.volant.volantd.simulated.SimulatedControls;
import io.volant.volantd.vfio.VfioManager;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmRuntime;
import io.volant.volantd.vm.VmService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * volantd's domain, built from a {@link VolantdConfig} by constructors: store, event bus, plugin registry,
 * launcher, network, VM service, deployment controller. Lifecycle: {@link #builder} → {@link Builder#build()}
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

    private Volantd(VolantdConfig config, Store store, EventBus events, PluginRegistry plugins, Launcher launcher,
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

    public static Builder builder(VolantdConfig config) {
        return new Builder(config);
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
        if (closed) {
            return;
        }
        closed = true;
        templates.close();
        if (health != null) {
            health.close();
        }
        controller.close();
        publisher.close();
        vms.shutdown(config.leaveVmsRunningOnShutdown());
        agent.close();
        launcher.close();
        store.close();
        log.info("volantd engine stopped");
    }

    /**
     * Drops everything without any cleanup, as if the process had been killed: no row is updated, no event is
     * published; the simulated instances vanish. For recovery tests.
     */
    public synchronized void halt() {
        if (closed) {
            return;
        }
        closed = true;
        templates.close();
        if (health != null) {
            health.close();
        }
        publisher.halt();
        vms.halt();
        controller.close();
        agent.close();
        launcher.close();
        store.close();
    }

    /**
     * Wiring. Every external effect has a default chosen from the configuration ({@code simulated}: in-memory
     * network, plain seed files, no VFIO) and can be replaced: tests, and the host-runtime launchers for the
     * {@code cloud-hypervisor} and {@code qemu} backends, which must be given explicitly.
     */
    public static final class Builder {
        private final VolantdConfig config;
        private Launcher launcher;
        private NetworkManager networkManager;
        private SeedBuilder seedBuilder;
        private VfioManager vfioManager;
        private DriftClient driftClient;
        private PortForwarding portForwarding;
        private EventBus eventBus;
        private HypervisorProcesses processes;
        private ReadinessProbe readiness = ReadinessProbe.ALWAYS_HEALTHY;
        private io.volant.volantd.deployment.ReplicaIndices replicaIndices = io.volant.volantd.deployment.ReplicaIndices.ALL;
        private boolean agentHealth;
        private Clock clock = Clock.systemUTC();

        Builder(VolantdConfig config) {
            this.config = config;
        }

        public Builder launcher(Launcher l) {
            this.launcher = l;
            return this;
        }

        public Builder networkManager(NetworkManager n) {
            this.networkManager = n;
            return this;
        }

        public Builder seedBuilder(SeedBuilder s) {
            this.seedBuilder = s;
            return this;
        }

        public Builder vfioManager(VfioManager v) {
            this.vfioManager = v;
            return this;
        }

        /** driftd client; default: {@code VOLANT_DRIFT_ENDPOINT}'s, or none when unset. */
        public Builder driftClient(DriftClient d) {
            this.driftClient = d;
            return this;
        }

        /** Hypervisor processes recovery looks at for strays (default: {@code /proc} for real backends, none simulated). */
        public Builder hypervisorProcesses(HypervisorProcesses p) {
            this.processes = p;
            return this;
        }

        /** The kernel NAT of published ports; default: nftables on real backends, in memory otherwise. */
        public Builder portForwarding(PortForwarding f) {
            this.portForwarding = f;
            return this;
        }

        public Builder eventBus(EventBus b) {
            this.eventBus = b;
            return this;
        }

        public Builder readinessProbe(ReadinessProbe p) {
            this.readiness = p;
            return this;
        }

        /**
         * Enables EXTENSION C: members are ready only once their agent answers {@code GET /healthz} healthy, asked
         * through {@link Volantd#agent()} (the simulated backend's stub included).
         */
        public Builder agentHealth(boolean enabled) {
            this.agentHealth = enabled;
            return this;
        }

        /** The replica indices this host runs (a cluster node's assigned ones); default all of {@code 1..replicas}. */
        public Builder replicaIndices(io.volant.volantd.deployment.ReplicaIndices r) {
            this.replicaIndices = r;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Opens and migrates the store and constructs every component; nothing runs yet. */
        public Volantd build() {
            boolean sim = config.simulated();
            if (!sim && launcher == null) {
                // Real backends (host-runtime.md §9.1): one factory of the host-runtime package fills the gaps.
                io.volant.volantd.hypervisor.Backends.HostRuntime host =
                        io.volant.volantd.hypervisor.Backends.create(config, System.getenv());
                launcher = host.launcher();
                networkManager = networkManager != null ? networkManager : host.network();
                seedBuilder = seedBuilder != null ? seedBuilder : host.seeds();
                vfioManager = vfioManager != null ? vfioManager : host.vfio();
                portForwarding = portForwarding != null ? portForwarding : host.forwarding();
            }
            Launcher l = launcher != null ? launcher : sim
                    ? new SimulatedLauncher(config.simulatedLaunch(), config.simulatedReady(), config.simulatedHealthy(), clock)
                    : missing("launcher");
            NetworkManager n = networkManager != null ? networkManager : sim ? new InMemoryNetworkManager() : missing("network manager");
            SeedBuilder s = seedBuilder != null ? seedBuilder : sim ? new PlainSeedBuilder() : missing("seed builder");
            VfioManager v = vfioManager != null ? vfioManager : sim
                    ? new UnsupportedVfioManager("VFIO passthrough is not supported by the simulated backend")
                    : missing("VFIO manager");
            // Real backends get nftables from Backends; a launcher wired by hand (tests) publishes in memory.
            PortForwarding forwarding = portForwarding != null ? portForwarding : new InMemoryPortForwarding();
            if (sim && launcher == null) {
                log.warn("simulated backend: no virtual machines will run");
            }
            log.info("runtime backend selected backend={}", l.backend());
            LinkedHashSet<String> pool = new LinkedHashSet<>(config.subnet().pool(config.hostIp()));
            Store store = Store.open(config.dbPath());
            try {
                EventBus bus = eventBus != null ? eventBus : new InMemoryEventBus();
                PluginRegistry plugins = new PluginRegistry(store);
                plugins.load();
                DriftClient dc = driftClient != null ? driftClient : config.driftEndpoint().isBlank()
                        ? DriftClient.notConfigured() : new HttpDriftClient(config.driftEndpoint(), config.driftApiKey());
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                Templating templating = l instanceof SimulatedLauncher sl
                        ? new SimulatedTemplating(sl, config.runtimeDir()) : l.templating().orElse(null);
                TemplateManager templates = new TemplateManager(store, l, templating, bus, clock,
                        config.templates(),
                        registry);
                VmRuntime runtime = new VmRuntime(l, n, s, v, config, pool, new DriftExposure(dc), templates);
                HypervisorProcesses hp = processes != null ? processes : sim ? HypervisorProcesses.NONE
                        : new ProcHypervisorProcesses(Path.of("/proc"), config.runtimeDir());
                VmService vms = new VmService(store, plugins, bus, config, clock, runtime, hp);
                NamedLocks deploymentLocks = new NamedLocks();
                DeploymentController controller = new DeploymentController(store, vms, plugins, clock,
                        config.resyncInterval(), deploymentLocks, replicaIndices);
                AgentGateway agent = l instanceof SimulatedLauncher sl ? new SimulatedAgent(sl)
                        : l.agentAccess().<AgentGateway>map(TransportAgentGateway::new).orElse(AgentGateway.none());
                HealthMonitor health = !agentHealth ? null : new HealthMonitor(store, vms,
                        new HttpAgentProbe(agent, name -> vms.find(name).map(Vm::ipAddress).orElse("")), clock);
                controller.setReadiness(health != null ? health : readiness);
                DeploymentService deployments = new DeploymentService(store, vms, plugins, controller, deploymentLocks, clock);
                Publisher publisher = new Publisher(store, vms, health != null ? health : readiness, forwarding,
                        dc.configured());
                PublishService publishing = new PublishService(store, vms, deploymentLocks, publisher);
                if (!publisher.viaDrift()) {
                    // With driftd the spec's ownership applies instead: running VMs own keys, conflicts fail at start.
                    vms.setExposeGuard(publishing::check);
                    deployments.setExposeGuard(publishing::check);
                }
                return new Volantd(config, store, bus, plugins, l, vms, controller, deployments, health, v, dc,
                        templates, registry, publisher, publishing, agent);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }

        private <T> T missing(String what) {
            throw new ConfigException("runtime backend " + config.runtimeBackend() + " needs a " + what
                    + " wired into volantd (only the simulated backend is built in)");
        }
    }
}
