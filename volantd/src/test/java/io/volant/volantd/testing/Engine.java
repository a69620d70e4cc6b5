package io.volant.volantd.testing;

import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.volantd.Volantd;
import io.volant.volantd.VolantdBuilder;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.drift.InMemoryDriftClient;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.Subscription;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.network.InMemoryNetworkManager;
import io.volant.volantd.network.InMemoryPortForwarding;
import io.volant.volantd.vfio.InMemoryVfioManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One engine on a temp directory with the in-memory twins at the external effects: simulated launcher, in-memory
 * network and VFIO, a movable clock. {@link #reopen()} starts a fresh engine on the same DB and runtime dir.
 */
public final class Engine implements AutoCloseable {
    public final Path dir;
    public final MutableClock clock;
    public final VolantdConfig config;
    public SimulatedLauncher launcher;
    /** Network twin; like the kernel's taps it survives {@link #crashAndReopen()}. */
    public final InMemoryNetworkManager network;
    public InMemoryVfioManager vfio;
    /** driftd twin; survives {@link #reopen()} like the real daemon would. */
    public final InMemoryDriftClient drift = new InMemoryDriftClient();
    public Volantd volantd;
    /** What recovery sees as hypervisor processes on the host (none by default: the simulated backend has none). */
    public io.volant.volantd.hypervisor.process.HypervisorProcesses processes =
            io.volant.volantd.hypervisor.process.HypervisorProcesses.NONE;
    private Subscription events;
    private final List<VmEvent> seen = new ArrayList<>();
    private final Launcher customLauncher;
    private boolean agentHealth;
    private boolean viaDrift = true;
    /** Kernel NAT twin for published ports; like the kernel's table it survives {@link #crashAndReopen()}. */
    public InMemoryPortForwarding forwarding = new InMemoryPortForwarding();
    /**
     * Twin of a cluster node's assignments: a deployment named here runs exactly these indices on this engine, any
     * other all of {@code 1..replicas} (a single host).
     */
    public final Map<String, java.util.SortedSet<Integer>> assigned = new java.util.concurrent.ConcurrentHashMap<>();
    /** When set, the replica indices of every deployment instead of {@link #assigned} (a real NodeAssignments). */
    public volatile io.volant.volantd.deployment.ReplicaIndices indices;

    public Engine(Path dir) {
        this(dir, new MutableClock(), null);
    }

    /** An engine with EXTENSION C readiness probing the simulated agent stub. */
    public static Engine withAgentHealth(Path dir) {
        return new Engine(dir, new MutableClock(), null, true);
    }

    /** An engine without driftd, so the built-in publisher drives {@link #forwarding}; agent health on. */
    public static Engine publishing(Path dir) {
        return new Engine(dir, new MutableClock(), null, true, false);
    }

    public Engine(Path dir, MutableClock clock, Launcher custom) {
        this(dir, clock, custom, false);
    }

    private Engine(Path dir, MutableClock clock, Launcher custom, boolean agentHealth) {
        this(dir, clock, custom, agentHealth, true);
    }

    /** An engine over the given network twin: a second engine on the host (the taps) a first one left. */
    public Engine(Path dir, MutableClock clock, Launcher custom, InMemoryNetworkManager network) {
        this(dir, clock, custom, false, true, network);
    }

    private Engine(Path dir, MutableClock clock, Launcher custom, boolean agentHealth, boolean viaDrift) {
        this(dir, clock, custom, agentHealth, viaDrift, new InMemoryNetworkManager());
    }

    private Engine(Path dir, MutableClock clock, Launcher custom, boolean agentHealth, boolean viaDrift,
                   InMemoryNetworkManager network) {
        this.network = network;
        this.agentHealth = agentHealth;
        this.viaDrift = viaDrift;
        this.dir = dir;
        this.clock = clock;
        this.customLauncher = custom;
        this.config = ConfigLoader.load(Map.of(
                "VOLANT_DB_PATH", dir.resolve("state.db").toString(),
                "VOLANT_RUNTIME_DIR", dir.resolve("run").toString(),
                "VOLANT_LOG_DIR", dir.resolve("logs").toString(),
                "VOLANT_RUNTIME_BACKEND", "simulated",
                "VOLANT_API_LISTEN", "127.0.0.1:7777",
                "VOLANT_STOP_GRACE_SECONDS", "0"), dir.toString(), false);
        open();
    }

    private void open() {
        launcher = new SimulatedLauncher(Duration.ZERO, Duration.ZERO, true, clock);
        vfio = new InMemoryVfioManager();
        VolantdBuilder b = Volantd.builder(config).clock(clock).launcher(customLauncher != null ? customLauncher : launcher)
                .networkManager(network).vfioManager(vfio).portForwarding(forwarding).hypervisorProcesses(processes)
                .replicaIndices((d, n) -> indices != null ? indices.of(d, n)
                        : assigned.getOrDefault(d, io.volant.volantd.deployment.ReplicaIndices.range(n)));
        if (viaDrift) {
            b.driftClient(drift);
        }
        if (agentHealth) {
            b.agentHealth(true);
        }
        volantd = b.build();
        events = volantd.events().subscribe(Topics.VM_EVENTS, 100_000);
        volantd.start();
    }

    /** Kills this engine without cleanup and opens a new one on the same files. */
    public void crashAndReopen() {
        volantd.halt();
        seen.clear();
        open();
    }

    /** Graceful close, then a new engine on the same files. */
    public void reopen() {
        volantd.close();
        seen.clear();
        open();
    }

    /** Every event published so far by the current engine, in order. */
    public synchronized List<VmEvent> events() {
        VmEvent e;
        try {
            while ((e = events.poll(Duration.ZERO)) != null) {
                seen.add(e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(seen);
    }

    public EventBus bus() {
        return volantd.events();
    }

    public static Manifest manifest(String json) {
        return Manifests.parse(json);
    }

    /** Installs a plugin {@code name} with runtime = name and the given resources. */
    public void install(String name, int cpu, int memory) {
        volantd.plugins().install(manifest("{\"schema_version\":\"1.0\",\"name\":\"" + name + "\",\"version\":\"0.1.0\",\"runtime\":\""
                + name + "\",\"resources\":{\"cpu_cores\":" + cpu + ",\"memory_mb\":" + memory + "},"
                + "\"initramfs\":{\"url\":\"/var/lib/volant/" + name + ".cpio.gz\"},"
                + "\"workload\":{\"type\":\"http\",\"base_url\":\"http://127.0.0.1:80\",\"entrypoint\":[\"/bin/" + name + "\"]}}"));
    }

    @Override
    public void close() {
        volantd.close();
    }
}
