package io.volant.volantd.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * volantd's configuration: every variable of api-and-cli.md §4.2 and host-runtime.md §1, parsed, defaulted and
 * validated once by {@link ConfigLoader}. Immutable.
 *
 * @param dataDir volantd's data directory ({@code /var/lib/volant} as root, else {@code $XDG_DATA_HOME/volant})
 * @param dbPath SQLite file ({@code VOLANT_DB_PATH}, default {@code <dataDir>/state.db})
 * @param apiListen {@code host:port} to listen on
 * @param apiAdvertise {@code host:port} given to guests (derived when unset)
 * @param subnet managed IPv4 subnet, host bits cleared
 * @param hostIp host address on the bridge
 * @param runtimeDir absolute {@code <R>}
 * @param logDir absolute {@code <L>}
 * @param runtimeBackend {@code auto}, {@code cloud-hypervisor}, {@code qemu} or {@code simulated}
 * @param agentImage the read-only agent disk attached to every VM ({@code VOLANT_AGENT_IMAGE}, else the first
 *        default location that exists), null when there is none
 * @param stopGrace {@code VOLANT_STOP_GRACE_SECONDS}
 * @param resyncInterval deployment controller resync period (10 s)
 * @param leaveVmsRunningOnShutdown leave hypervisors running at shutdown for adoption (§2.10 item 8)
 * @param limits upper bounds on replicas, VMs and per-VM resources ({@code VOLANT_MAX_*})
 * @param tls the API's certificate, key and client CA ({@code VOLANT_TLS_*})
 * @param cluster cluster mode (docs/cluster.md); {@link ClusterSettings#OFF} on a single host
 */
public record VolantdConfig(
        Path dataDir,
        Path dbPath,
        String apiListen,
        String apiAdvertise,
        String bridge,
        Subnet subnet,
        String hostIp,
        Path runtimeDir,
        Path logDir,
        Path kernelBzImage,
        Path kernelVmlinux,
        String hypervisor,
        String driftEndpoint,
        String driftApiKey,
        String apiKey,
        List<String> apiAllowCidr,
        List<String> corsOrigins,
        List<String> trustedProxies,
        String apiGuestAccess,
        String logLevel,
        String runtimeBackend,
        String qemuBinary,
        String qemuMachine,
        String qemuAccel,
        String guestKernel,
        String guestModulesDir,
        List<String> guestModules,
        String baseInitramfs,
        Path agentImage,
        Duration stopGrace,
        List<String> artifactRoots,
        Path cacheDir,
        boolean hostBootstrap,
        Duration simulatedLaunch,
        Duration simulatedReady,
        boolean simulatedHealthy,
        Duration resyncInterval,
        boolean leaveVmsRunningOnShutdown,
        TemplateSettings templates,
        Limits limits,
        TlsFiles tls,
        ClusterSettings cluster) {

    public VolantdConfig {
        apiAllowCidr = List.copyOf(apiAllowCidr);
        corsOrigins = List.copyOf(corsOrigins);
        trustedProxies = List.copyOf(trustedProxies);
        guestModules = List.copyOf(guestModules);
        artifactRoots = List.copyOf(artifactRoots);
    }

    /** True for {@code VOLANT_RUNTIME_BACKEND=simulated}. */
    public boolean simulated() {
        return "simulated".equals(runtimeBackend);
    }

    /** The dotted netmask of the subnet. */
    public String netmask() {
        return subnet.netmask();
    }

    /** A configuration for tests and embedding: simulated backend, everything under {@code dir}. */
    public static VolantdConfig forDirectory(Path dir) {
        return ConfigLoader.load(java.util.Map.of(
                "VOLANT_DB_PATH", dir.resolve("state.db").toString(),
                "VOLANT_RUNTIME_DIR", dir.resolve("run").toString(),
                "VOLANT_LOG_DIR", dir.resolve("logs").toString(),
                "VOLANT_DATA_DIR", dir.toString(),
                "VOLANT_RUNTIME_BACKEND", "simulated",
                "VOLANT_API_LISTEN", "127.0.0.1:7777"), dir.toString(), false);
    }

    public VolantdConfig withResyncInterval(Duration d) {
        return with(subnet, hostIp, d);
    }

    /** This node's guest subnet in cluster mode (docs/cluster.md): the host takes the subnet's first address. */
    public VolantdConfig withGuestSubnet(Subnet s) {
        return with(s, Subnet.format(s.network() + 1), resyncInterval);
    }

    private VolantdConfig with(Subnet guestSubnet, String host, Duration resync) {
        return new VolantdConfig(dataDir, dbPath, apiListen, apiAdvertise, bridge, guestSubnet, host, runtimeDir, logDir,
                kernelBzImage, kernelVmlinux, hypervisor, driftEndpoint, driftApiKey, apiKey, apiAllowCidr, corsOrigins,
                trustedProxies, apiGuestAccess, logLevel, runtimeBackend, qemuBinary, qemuMachine, qemuAccel,
                guestKernel, guestModulesDir, guestModules, baseInitramfs, agentImage, stopGrace, artifactRoots, cacheDir,
                hostBootstrap, simulatedLaunch, simulatedReady, simulatedHealthy, resync, leaveVmsRunningOnShutdown,
                templates, limits, tls, cluster);
    }
}
