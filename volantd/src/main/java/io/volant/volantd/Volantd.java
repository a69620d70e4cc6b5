package io.volant.volantd;

import io.volant.volantd.cloudinit.SeedBuilder;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.deployment.DeploymentService;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import io.volant.volantd.network.NetworkManager;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.vfio.VfioManager;
import io.volant.volantd.vm.VmService;
import java.time.Clock;
import java.util.Optional;

/**
 * volantd's domain, built from a {@link VolantdConfig} by constructors: store, event bus, plugin registry,
 * launcher, network, VM service, deployment controller. Lifecycle: {@link #builder} → {@link Builder#build()}
 * (opens and migrates the store) → {@link #start()} (IP sweep, recovery, controller) → serve →
 * {@link #close()} (controller, VMs, store — in that order). Main stays tiny.
 */
public final class Volantd implements AutoCloseable {

    public static Builder builder(VolantdConfig config) {
        return new Builder(config);
    }

    public VolantdConfig config() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public VmService vms() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public DeploymentService deployments() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public PluginRegistry plugins() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public EventBus events() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public Launcher launcher() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The simulated backend's test controls, present only with {@code VOLANT_RUNTIME_BACKEND=simulated}. */
    public Optional<SimulatedLauncher> simulated() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Summary of VMs and plugins (control-plane.md §8). */
    public SystemSummary summary() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** IP pool sweep, startup recovery (control-plane.md §2.10 item 9), then the deployment controller. */
    public void start() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Graceful shutdown: controller, then every VM in parallel (§2.10 item 8), then the store. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Wiring. Every external effect has a default chosen from the configuration and can be replaced (tests, the
     * host-runtime launchers).
     */
    public static final class Builder {
        private final VolantdConfig config;
        private Launcher launcher;
        private NetworkManager networkManager;
        private SeedBuilder seedBuilder;
        private VfioManager vfioManager;
        private EventBus eventBus;
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

        public Builder eventBus(EventBus b) {
            this.eventBus = b;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Opens and migrates the store and constructs every component; nothing runs yet. */
        public Volantd build() {
            throw new UnsupportedOperationException("not yet implemented");
        }
    }
}
