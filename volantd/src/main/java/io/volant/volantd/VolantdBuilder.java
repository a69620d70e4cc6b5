package io.volant.volantd;

import io.volant.volantd.agent.AgentGateway;
import io.volant.volantd.agent.HttpAgentProbe;
import io.volant.volantd.agent.TransportAgentGateway;
import io.volant.volantd.cloudinit.PlainSeedBuilder;
import io.volant.volantd.cloudinit.SeedBuilder;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.VolantdConfig;
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
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.hypervisor.process.HypervisorProcesses;
import io.volant.volantd.hypervisor.process.ProcHypervisorProcesses;
import io.volant.volantd.publish.PublishService;
import io.volant.volantd.publish.Publisher;
import io.volant.volantd.store.Store;
import io.volant.volantd.vfio.UnsupportedVfioManager;
import io.volant.volantd.simulated.SimulatedAgent;
import io.volant.volantd.vfio.VfioManager;
import io.volant.volantd.vm.NamedLocks;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmRuntime;
import io.volant.volantd.vm.VmService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wiring. Every external effect has a default chosen from the configuration ({@code simulated}: in-memory
 * network, plain seed files, no VFIO) and can be replaced: tests, and the host-runtime launchers for the
 * {@code cloud-hypervisor} and {@code qemu} backends, which must be given explicitly.
 */
public final class VolantdBuilder {
    private static final Logger log = LoggerFactory.getLogger(VolantdBuilder.class);

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

    VolantdBuilder(VolantdConfig config) {
        this.config = config;
    }

    public VolantdBuilder launcher(Launcher l) {
        this.launcher = l;
        return this;
    }

    public VolantdBuilder networkManager(NetworkManager n) {
        this.networkManager = n;
        return this;
    }

    public VolantdBuilder seedBuilder(SeedBuilder s) {
        this.seedBuilder = s;
        return this;
    }

    public VolantdBuilder vfioManager(VfioManager v) {
        this.vfioManager = v;
        return this;
    }

    /** driftd client; default: {@code VOLANT_DRIFT_ENDPOINT}'s, or none when unset. */
    public VolantdBuilder driftClient(DriftClient d) {
        this.driftClient = d;
        return this;
    }

    /** Hypervisor processes recovery looks at for strays (default: {@code /proc} for real backends, none simulated). */
    public VolantdBuilder hypervisorProcesses(HypervisorProcesses p) {
        this.processes = p;
        return this;
    }

    /** The kernel NAT of published ports; default: nftables on real backends, in memory otherwise. */
    public VolantdBuilder portForwarding(PortForwarding f) {
        this.portForwarding = f;
        return this;
    }

    public VolantdBuilder eventBus(EventBus b) {
        this.eventBus = b;
        return this;
    }

    public VolantdBuilder readinessProbe(ReadinessProbe p) {
        this.readiness = p;
        return this;
    }

    /**
     * Enables EXTENSION C: members are ready only once their agent answers {@code GET /healthz} healthy, asked
     * through {@link Volantd#agent()} (the simulated backend's stub included).
     */
    public VolantdBuilder agentHealth(boolean enabled) {
        this.agentHealth = enabled;
        return this;
    }

    /** The replica indices this host runs (a cluster node's assigned ones); default all of {@code 1..replicas}. */
    public VolantdBuilder replicaIndices(io.volant.volantd.deployment.ReplicaIndices r) {
        this.replicaIndices = r;
        return this;
    }

    public VolantdBuilder clock(Clock c) {
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
                    dc.configured(), bus, clock);
            controller.onPass(publisher::trigger);
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
