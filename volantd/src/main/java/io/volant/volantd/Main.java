package io.volant.volantd;

import ch.qos.logback.classic.Level;
import io.volant.manifest.VolantVersion;
import io.volant.volantd.api.ApiServer;
import io.volant.volantd.api.ApiServices;
import io.volant.volantd.api.ApiSettings;
import io.volant.volantd.config.ConfigLoader;
import io.volant.volantd.config.HostPort;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.cluster.LocalNode;
import io.volant.volantd.cluster.ClusterStore;
import io.volant.volantd.cluster.ClusterStoreException;
import io.volant.volantd.cluster.Membership;
import io.volant.volantd.cluster.NodeAssignments;
import io.volant.volantd.deployment.ReplicaIndices;
import io.volant.volantd.cluster.SubnetClaims;
import io.volant.volantd.config.ClusterSettings;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.Subnet;
import io.volant.volantd.cluster.NodeDirectory;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * volantd (api-and-cli.md §4): no arguments = run the daemon from the environment; {@code --version},
 * {@code --help} (lists the variables); anything else is a usage error (exit 2). Start-up failures exit 1,
 * a clean SIGINT/SIGTERM shutdown exits 0, a second signal during shutdown exits 1 at once.
 */
@Command(name = "volantd", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Volant control plane daemon. Configured by environment variables only.",
        footerHeading = "%nEnvironment (empty = unset):%n",
        footer = {
            "  VOLANT_DB_PATH            SQLite state file",
            "  VOLANT_API_LISTEN         listen address (default 0.0.0.0:7777; alias VOLANT_API_LISTEN_ADDR)",
            "  VOLANT_API_ADVERTISE      address given to guests (derived; alias VOLANT_API_ADVERTISE_ADDR)",
            "  VOLANT_BRIDGE             bridge for VM taps (default vbr0)",
            "  VOLANT_SUBNET             managed IPv4 subnet (default 192.168.127.0/24)",
            "  VOLANT_HOST_IP            host address in the subnet (default 192.168.127.1)",
            "  VOLANT_HYPERVISOR         cloud-hypervisor binary (name or path)",
            "  VOLANT_RUNTIME_DIR        sockets, seeds, staged media (default ~/.volant/run)",
            "  VOLANT_LOG_DIR            hypervisor logs (default ~/.volant/logs)",
            "  VOLANT_KERNEL_BZIMAGE     default /var/lib/volant/kernel/bzImage",
            "  VOLANT_KERNEL_VMLINUX     default /var/lib/volant/kernel/vmlinux",
            "  VOLANT_DRIFT_ENDPOINT     driftd base URL (unset = drift off)",
            "  VOLANT_DRIFT_API_KEY      bearer token for driftd",
            "  VOLANT_API_KEY            API key (X-Volant-API-Key, Bearer or ?api_key=)",
            "  VOLANT_API_ALLOW_CIDR     comma-separated CIDR allow list",
            "  VOLANT_TRUSTED_PROXIES    CIDRs whose X-Forwarded-For is trusted",
            "  VOLANT_CORS_ORIGINS       comma-separated origins, * = any",
            "  VOLANT_API_GUEST_ACCESS   restricted (default) or full",
            "  VOLANT_LOG_LEVEL          debug, info (default), warn, error",
            "  VOLANT_RUNTIME_BACKEND    auto (default), cloud-hypervisor, qemu, simulated",
            "  VOLANT_QEMU_BINARY, VOLANT_QEMU_MACHINE, VOLANT_QEMU_ACCEL",
            "  VOLANT_GUEST_KERNEL, VOLANT_GUEST_MODULES_DIR, VOLANT_GUEST_MODULES, VOLANT_BASE_INITRAMFS",
            "  VOLANT_AGENT_IMAGE        read-only agent disk for every VM (default: the checkout's build/agent-bundle.img,",
            "                            else /var/lib/volant/agent-bundle.img)",
            "  VOLANT_STOP_GRACE_SECONDS, VOLANT_ARTIFACT_ROOTS, VOLANT_CACHE_DIR, VOLANT_HOST_BOOTSTRAP",
            "  VOLANT_TLS_CERT, VOLANT_TLS_KEY  PEM certificate and key: serve HTTPS (reloaded on SIGHUP or change)",
            "  VOLANT_TLS_CLIENT_CA      PEM CA: require client certificates signed by it",
            "  VOLANT_MAX_REPLICAS       replicas of one deployment (default 256)",
            "  VOLANT_MAX_VMS            VMs in total (default 1024)",
            "  VOLANT_MAX_VM_CPUS        vCPUs of one VM (default: 4 x host CPUs)",
            "  VOLANT_MAX_VM_MEMORY_MB   memory of one VM (default: host memory)",
            "  VOLANT_SIMULATED_LAUNCH_MS, VOLANT_SIMULATED_READY_MS, VOLANT_SIMULATED_HEALTH",
            "  VOLANT_CLUSTER_ETCD      etcd client URLs, comma-separated (unset = single host)",
            "  VOLANT_NODE_NAME, VOLANT_NODE_URL, VOLANT_NODE_LABELS, VOLANT_CLUSTER_LEASE_SECONDS (cluster mode)",
            "  VOLANT_CLUSTER_ETCD_CA   https:// etcd only: PEM CA of etcd's certificate",
            "  VOLANT_CLUSTER_ETCD_CERT, VOLANT_CLUSTER_ETCD_KEY  PEM client cert and key",
            "  VOLANT_CLUSTER_ETCD_USER, VOLANT_CLUSTER_ETCD_PASSWORD  etcd user (https://)"
        })
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getMessage());
            ex.getCommandLine().usage(err);
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        return runDaemon();
    }

    private static int runDaemon() {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger signals = new AtomicInteger();
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
                if (signals.incrementAndGet() > 1) {
                    Runtime.getRuntime().halt(1); // second signal: exit at once
                }
                LOG.atInfo().addKeyValue("signal", s.getName()).log("shutdown requested");
                stop.countDown();
            });
        }
        VolantdConfig config;
        ApiSettings settings;
        try {
            config = ConfigLoader.fromEnvironment();
            settings = ApiSettings.fromConfig(config);
            requireKernel(config);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("error", e.getMessage()).log("load config");
            return 1;
        }
        setLogLevel(config.logLevel());
        warnIfKeyInClearText(config);
        Daemon daemon;
        try {
            daemon = Daemon.start(config, settings);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("error", String.valueOf(e.getMessage())).setCause(e).log("daemon exit");
            return 1;
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> daemon.reloadTls());
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon.close();
        LOG.info("volantd stopped");
        return 0;
    }

    /** A key sent over plain HTTP to a non-loopback listener can be read by anyone on the path. */
    static void warnIfKeyInClearText(VolantdConfig c) {
        if (c.apiKey().isEmpty() || c.tls().enabled()) {
            return;
        }
        String host = HostPort.split(c.apiListen()).host();
        boolean loopback = host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
        if (!loopback) {
            LOG.atWarn().addKeyValue("addr", c.apiListen())
                    .log("api key travels in clear text: VOLANT_API_KEY is set and the API listens on a non-loopback "
                            + "address without TLS (set VOLANT_TLS_CERT and VOLANT_TLS_KEY)");
        }
    }

    /**
     * api-and-cli.md §4.2 / host-runtime.md §1: a real backend needs one of the two kernel files (or
     * {@code VOLANT_GUEST_KERNEL}); the simulated backend boots nothing and skips the check.
     */
    static void requireKernel(VolantdConfig c) {
        if (c.simulated() || !c.guestKernel().isBlank()
                || java.nio.file.Files.exists(c.kernelBzImage()) || java.nio.file.Files.exists(c.kernelVmlinux())) {
            return;
        }
        throw new IllegalArgumentException("no kernel images found: expected bzImage at " + c.kernelBzImage()
                + " or vmlinux at " + c.kernelVmlinux());
    }

    static void setLogLevel(String level) {
        var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
    }

    /**
     * One running volantd: the core's domain plus the HTTP server, wired through constructors. Tests run it in
     * process on port 0 and restart it on the same database.
     */
    public static final class Daemon implements AutoCloseable {
        private final Volantd volantd;
        private final ApiServer server;
        private final NodeDirectory nodes;

        private Daemon(Volantd volantd, ApiServer server, NodeDirectory nodes) {
            this.volantd = volantd;
            this.server = server;
            this.nodes = nodes;
        }

        /**
         * Start-up order of api-and-cli.md §4.4: store and domain, HTTP handler, engine start (IP sweep, recovery,
         * controller), then listen. Throws with the failing step's message; nothing is left running.
         */
        public static Daemon start(VolantdConfig configured, ApiSettings settings) {
            ClusterStore store = configured.cluster().enabled() ? Membership.connect(configured.cluster()) : null;
            VolantdConfig config;
            Volantd volantd;
            // Assignments change before the controller exists: enqueue through this until it does.
            java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> enqueue =
                    new java.util.concurrent.atomic.AtomicReference<>(d -> { });
            NodeAssignments assignments = null;
            try {
                config = store == null ? configured : configured.withGuestSubnet(claimSubnet(store, configured.cluster()));
                if (store != null) {
                    assignments = new NodeAssignments(store, config.cluster().nodeName(), java.time.Clock.systemUTC(),
                            NodeAssignments.graceFor(config.cluster().leaseTtl()), d -> enqueue.get().accept(d));
                    assignments.refresh(); // before the controller's first passes, which would remove unassigned members
                }
                volantd = Volantd.builder(config).agentHealth(true)
                        .replicaIndices(assignments == null ? ReplicaIndices.ALL : assignments).build();
            } catch (RuntimeException e) {
                if (store != null) {
                    store.close();
                }
                throw e;
            }
            enqueue.set(volantd.controller()::enqueue);
            NodeDirectory nodes = null;
            try {
                volantd.start();
                nodes = Membership.open(config.cluster(), localNode(volantd, config), store, assignments, volantd.deployments());
                ApiServer server = new ApiServer(settings, services(volantd, config, nodes));
                HostPort listen = HostPort.split(config.apiListen());
                String host = listen.host().isEmpty() ? "0.0.0.0" : listen.host();
                server.start(host, listen.port().isEmpty() ? 7777 : Integer.parseInt(listen.port()));
                LOG.atInfo().addKeyValue("addr", host + ":" + server.port()).addKeyValue("tls", server.tls())
                        .log("api server listening");
                return new Daemon(volantd, server, nodes);
            } catch (RuntimeException e) {
                if (nodes != null) {
                    nodes.close();
                } else if (store != null) {
                    store.close();
                }
                volantd.close();
                throw e;
            }
        }

        /** Cluster mode: this node's guest subnet from the cluster range in etcd (docs/cluster.md). */
        private static Subnet claimSubnet(ClusterStore store, ClusterSettings cluster) {
            try {
                return SubnetClaims.claim(store, cluster.nodeName(), cluster.guestRange(), ClusterSettings.NODE_PREFIX);
            } catch (ClusterStoreException | IllegalStateException e) {
                throw new ConfigException("cluster mode: cannot claim a guest subnet for node " + cluster.nodeName() + ": "
                        + e.getMessage());
            }
        }

        private static LocalNode localNode(Volantd v, VolantdConfig config) {
            String url = config.cluster().enabled() ? config.cluster().nodeUrl()
                    : (config.tls().enabled() ? "https://" : "http://") + config.apiListen();
            return new LocalNode(config.cluster(), url, v.launcher().backend(),
                    () -> v.vms().list(io.volant.volantd.vm.VmQuery.all()).items(),
                    config.subnet().pool(config.hostIp()).size(), config.subnet().toString());
        }

        public int port() {
            return server.port();
        }

        /** SIGHUP: read the TLS files again. */
        public void reloadTls() {
            server.reloadTls();
        }

        public Volantd volantd() {
            return volantd;
        }

        /** Graceful shutdown (api-and-cli.md §4.5): HTTP first (streams end, sockets 1001), then the engine. */
        @Override
        public void close() {
            server.stop();
            nodes.close(); // leave the cluster before the VMs stop
            volantd.close();
        }

        /**
         * As if the process had been SIGKILLed: the listener goes away and the engine drops everything without
         * updating a row (the core's {@link Volantd#halt()}). For recovery tests.
         */
        public void kill() {
            server.stop();
            nodes.halt();
            volantd.halt();
        }

        private static ApiServices services(Volantd v, VolantdConfig config, NodeDirectory nodes) {
            return new ApiServices(v.vms(), v.deployments(), v.plugins(), v.events(), v.vfio(),
                    new ApiServices.SystemInfo(config.apiListen(), config.apiAdvertise(), config.hostIp(),
                            () -> v.templates().stats()),
                    v.consoleAccess(), v.agent(), v.drift(), v.simulatedControls(),
                    v.metrics(), v.publishing(), nodes);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"volantd " + VolantVersion.get()};
        }
    }

}
