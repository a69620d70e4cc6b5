package io.volant.kestrel;

import io.volant.kestrel.boot.AgentManifest;
import io.volant.kestrel.boot.Cmdline;
import io.volant.kestrel.boot.DbusStarter;
import io.volant.kestrel.boot.ManifestDecoder;
import io.volant.kestrel.boot.ManifestResolver;
import io.volant.kestrel.config.AgentConfig;
import io.volant.kestrel.http.AgentServer;
import io.volant.kestrel.identity.TemplateMode;
import io.volant.kestrel.identity.VirtioIdentityPort;
import io.volant.kestrel.http.WorkloadRoutes;
import io.volant.kestrel.logs.LinePump;
import io.volant.kestrel.logs.LogBuffer;
import io.volant.kestrel.net.GuestNetwork;
import io.volant.kestrel.net.IoctlNetLink;
import io.volant.kestrel.net.IpCommandNetLink;
import io.volant.kestrel.net.NetLink;
import io.volant.kestrel.net.RememberingNetLink;
import io.volant.kestrel.power.PowerButtonWatcher;
import io.volant.kestrel.shell.DebugShell;
import io.volant.kestrel.sys.LinuxGuestKernel;
import io.volant.kestrel.time.Clock;
import io.volant.kestrel.vsock.Relay;
import io.volant.kestrel.vsock.VsockListener;
import io.volant.kestrel.workload.HealthWaiter;
import io.volant.kestrel.workload.HttpHealthProbe;
import io.volant.kestrel.workload.ProcessWorkloadLauncher;
import io.volant.kestrel.workload.Supervisor;
import io.volant.kestrel.workload.WorkloadEnvironment;
import io.volant.kestrel.workload.WorkloadStatus;
import io.volant.manifest.LazySslContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent, wired (plugins-and-guest.md §2.2 with the Chosen order: API first, K1). {@link #start()} returns once
 * the API listens; the workload, a manifest fetch and the health wait continue in the background. {@link #shutdown()}
 * is the §2.6 Chosen sequence; the caller then exits 0, which the guest init takes as the power-off request (§2.14).
 */
public final class Kestrel {
    /** How long the workload gets between SIGTERM and SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Longest wait for the workload's first outcome before the vsock listener starts anyway. */
    static final Duration VSOCK_WAIT = Duration.ofSeconds(20);
    /** Kernel argument that boots a template (docs/kestrel.md, "Template mode"). */
    static final String TEMPLATE_KEY = "volant.template";
    /** Longest wait in template mode for the identity port's device to appear. */
    static final Duration PORT_WAIT = Duration.ofSeconds(30);

    private final AgentConfig config;
    private final Map<String, String> env;
    private final ManifestDecoder decoder;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;
    private final Log log;
    private final HttpClient client;
    private final LogBuffer logs = new LogBuffer(2000, 1024);
    private final AtomicReference<Optional<WorkloadRoutes>> routes = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Supervisor> supervisor = new AtomicReference<>();
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private volatile AgentServer server;
    private volatile Thread fetcher;
    private volatile DebugShell shell;
    private volatile Relay vsock;
    private Optional<NetLink> links; // guarded by this; chosen on first use

    public Kestrel(AgentConfig config, Map<String, String> env, ManifestDecoder decoder, Clock clock,
                   PrintStream out, PrintStream err) {
        this.config = config;
        this.env = Map.copyOf(env);
        this.decoder = decoder;
        this.clock = clock;
        this.out = out;
        this.err = err;
        this.log = new Log(out, "kestrel: ");
        // HTTP/1.1 only: the workload is a plain local server; no h2c upgrade dance on every proxied request.
        // TLS set up lazily: the default context would parse the whole JDK trust store before the API listens.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(new LazySslContext()).sslParameters(LazySslContext.clientParameters())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Guest duties, manifest resolution, API, then the workload in the background.
     *
     * @throws IOException when the command line cannot be read or the API address cannot be bound (fatal)
     * @throws IllegalArgumentException when a given manifest does not decode (fatal, §2.5)
     */
    public void start() throws IOException {
        Cmdline cmdline = Cmdline.read(config.cmdlinePath());
        boolean guest = switch (config.guestMode()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> cmdline.hasVolantKeys();
        };
        boolean template = guest && cmdline.value(TEMPLATE_KEY).filter("1"::equals).isPresent();
        if (guest) {
            baseDuties();
        }
        ManifestResolver resolver = new ManifestResolver(decoder, client, clock, log);
        if (template) {
            // Warm up to the point that needs an identity: the manifest decoded (classes loaded), the API bound.
            resolver.initial(config.manifestEnv(), cmdline);
            startApi(true);
            Thread.ofPlatform().name("kestrel-identity").start(() -> awaitIdentity(resolver));
            return;
        }
        if (guest) {
            network(cmdline);
        }
        ManifestResolver.Initial initial = resolver.initial(config.manifestEnv(), cmdline);
        startApi(guest);
        follow(initial, resolver, guest);
    }

    private void startApi(boolean guest) throws IOException {
        server = AgentServer.start(config.listenHost(), config.listenPort(),
                new AgentServer.Wiring(this::status, routes::get, config.defaultTimeout(), logs,
                        config.remoteDebuggingAddr(), config.remoteDebuggingPort()),
                client, clock, log);
        log.info("api listening", "addr", config.listenHost().isEmpty() ? "0.0.0.0" : config.listenHost(),
                "port", server.port(), "guest", guest);
    }

    /** Activates the resolved manifest (or starts fetching it), then the vsock listener in a guest. */
    private void follow(ManifestResolver.Initial initial, ManifestResolver resolver, boolean guest) {
        switch (initial) {
            case ManifestResolver.Initial.Found f -> {
                log.info("manifest loaded", "source", f.source(), "name", f.manifest().name());
                activate(f.manifest());
            }
            case ManifestResolver.Initial.Fetch f -> {
                log.info("manifest not on the command line; fetching", "url", f.url());
                fetcher = resolver.fetchInBackground(f.url(), this::activate);
            }
            case ManifestResolver.Initial.None n -> log.info("no manifest; serving /healthz only");
        }
        if (guest && config.vsockPort() != 0) {
            startVsockAfterWorkload();
        }
    }

    /**
     * Template mode (docs/kestrel.md): waits for the identity port, announces {@code warm}, and applies the identity
     * a clone receives after resume through the cold-boot path. Without the port the template never becomes warm
     * and the host falls back to cold boots; kestrel keeps serving {@code /healthz}.
     */
    private void awaitIdentity(ManifestResolver resolver) {
        try (VirtioIdentityPort port = openIdentityPort()) {
            if (port == null) {
                log.info("template mode without identity port", "port", VirtioIdentityPort.NAME,
                        "waited_s", PORT_WAIT.toSeconds());
                return;
            }
            new TemplateMode(port, new LinuxGuestKernel(), links(true),
                    GuestNetwork.Paths.guest().hostname(), c -> {
                        network(c);
                        follow(resolver.initial(config.manifestEnv(), c), resolver, true);
                    }, this::prepareForClones, clock, log).run();
        } catch (IOException | RuntimeException e) {
            log.info("identity port failed", "error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Template mode, before {@code warm}: runs once the post-identity code paths that need no identity, so every clone
     * inherits them loaded and linked instead of paying under an emulated CPU after resume: the network calls (the
     * loopback up and whether {@code eth0} has an address; every clone skips both then; every ioctl a clone makes,
     * rehearsed without effect), a process start (the workload's is a clone's first), the HTTP client (a probe of the
     * agent's own {@code /healthz}, as the workload's health wait does), the vsock listener's libc calls, then a full
     * GC so the clones start from a compact heap.
     */
    private void prepareForClones() throws IOException, InterruptedException {
        NetLink link = links(true).orElseThrow(); // ioctls: always there
        new GuestNetwork(link, GuestNetwork.Paths.guest(), log).configureLoopback();
        if (link.exists("eth0")) {
            link.hasIpv4("eth0"); // remembered: a clone adds its address without asking again
        }
        try {
            IoctlNetLink.rehearse();
        } catch (IOException e) {
            log.info("template preparation step failed", "step", "ioctls", "error", e.getMessage());
        }
        Optional<IpCommandNetLink> ip = IpCommandNetLink.locate();
        if (ip.isPresent()) {
            ip.get().isUp("lo"); // a read-only `ip` process
        }
        String failure = new HttpHealthProbe(client)
                .probe(URI.create("http://127.0.0.1:" + server.port() + "/healthz"), Duration.ofSeconds(5));
        if (failure != null) {
            throw new IOException("probe of the agent's own /healthz: " + failure);
        }
        if (config.vsockPort() != 0) {
            VsockListener.prepare();
        }
        System.gc();
    }

    /**
     * The named port {@code io.volant.identity} (QEMU), else the virtio console {@code /dev/hvc0} (Cloud Hypervisor
     * has no named ports), waiting up to {@link #PORT_WAIT} for either to appear; null when neither did.
     */
    private VirtioIdentityPort openIdentityPort() throws IOException, InterruptedException {
        Path console = Path.of("/dev/hvc0");
        for (long waited = 0; waited < PORT_WAIT.toMillis(); waited += 100) {
            Optional<Path> named = VirtioIdentityPort.find(Path.of("/sys/class/virtio-ports"), Path.of("/dev"),
                    VirtioIdentityPort.NAME);
            if (named.isPresent()) {
                return VirtioIdentityPort.open(named.get(), clock);
            }
            if (Files.exists(Path.of("/sys/class/tty/hvc0")) && Files.exists(console)) {
                log.info("identity over the virtio console", "device", console);
                return VirtioIdentityPort.openConsole(console, clock);
            }
            clock.sleep(Duration.ofMillis(100));
        }
        return null;
    }

    /**
     * §2.10 listener, after the workload's first start attempt has an outcome (upstream starts its listeners only
     * once the health check passed, §2.2 step 6), at the latest {@link #VSOCK_WAIT} after the API. Why not at
     * once: linking the FFM downcalls spins classes at run time that no AOT cache holds, seconds of a one-vCPU
     * emulated guest that otherwise delayed the workload's start and its first healthy {@code /healthz}. Without a
     * workload (none, or a manifest still being fetched) the listener starts now.
     */
    private void startVsockAfterWorkload() {
        Supervisor s = supervisor.get();
        if (s == null) {
            startVsock();
            return;
        }
        Thread.ofPlatform().name("kestrel-vsock-start").daemon().start(() -> {
            try {
                s.firstSettled().get(VSOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // start anyway: a slow or broken workload must not keep the API off vsock
            } catch (InterruptedException e) {
                return;
            }
            startVsock();
        });
    }

    /** §2.4: network, hostname and DNS from the {@code ip=} token (cold boot, or a clone's identity). */
    private void network(Cmdline cmdline) {
        Optional<NetLink> link = links(false);
        if (link.isPresent()) {
            new GuestNetwork(link.get(), GuestNetwork.Paths.guest(), log).configure(cmdline.value("ip"));
        } else {
            log.info("guest network skipped", "reason", "no ip program (iproute2 or busybox) in the image");
        }
    }

    /**
     * The guest's links, one {@link RememberingNetLink} for the whole start (template preparation, a clone's MAC
     * step, the network), so that what one step established is not asked again. A template and its clones use the
     * kernel's ioctls ({@link IoctlNetLink}; DHCP through {@code udhcpc}): the template links every call once and a
     * clone then makes each in a system call, where an {@code ip} process costs ~100 ms under TCG. A cold boot uses
     * the {@code ip} program ({@link IpCommandNetLink}): linking the FFM downcalls spins classes at run time that no
     * AOT cache holds, which under TCG costs a boot more than the few processes (docs/kestrel.md). The first call
     * chooses; template mode asks first.
     */
    private synchronized Optional<NetLink> links(boolean ioctls) {
        if (links == null) {
            links = ioctls
                    ? Optional.of(new RememberingNetLink(new IoctlNetLink(IpCommandNetLink.locate())))
                    : IpCommandNetLink.locate().map(RememberingNetLink::new);
        }
        return links;
    }

    /** Guest duties that need no identity: D-Bus, the power button, the debug shell. */
    private void baseDuties() {
        new DbusStarter(Path.of("/usr/bin/dbus-daemon"), Path.of("/run/dbus/system_bus_socket"), clock, log).start();
        new PowerButtonWatcher(Path.of("/sys/class/input"), Path.of("/dev/input"),
                () -> Thread.ofPlatform().start(() -> System.exit(0)), log).start();
        if (config.enableShell()) {
            shell = new DebugShell(config.shell(), config.shellArgs(), Path.of(config.shellTty()), env, clock, log);
            shell.start();
        }
    }

    /** §2.10: the same API on AF_VSOCK, relayed to the TCP listener; a failure is logged and ignored (§2.8). */
    private synchronized void startVsock() {
        if (shutDown.get()) {
            return;
        }
        String host = config.listenHost();
        String target = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        try {
            vsock = new Relay(VsockListener.open(config.vsockPort()), new InetSocketAddress(target, server.port()),
                    log).start();
        } catch (IOException | RuntimeException | LinkageError e) {
            log.info("vsock listener unavailable", "port", config.vsockPort(), "error", e.getMessage());
        }
    }

    /** Enables the {@code /v1} routes and starts supervising the workload, once. */
    private void activate(AgentManifest m) {
        m.notes().forEach(n -> log.info("manifest note", "name", m.name(), "note", n));
        routes.set(m.routes());
        m.workload().ifPresent(spec -> {
            Supervisor s = new Supervisor(spec, env,
                    new ProcessWorkloadLauncher(new LinePump(logs, clock), out, err),
                    new HealthWaiter(new HttpHealthProbe(client), clock, log), clock, log,
                    WorkloadEnvironment::isExecutableFile);
            if (supervisor.compareAndSet(null, s)) {
                if (shutDown.get()) {
                    s.stop(STOP_GRACE);
                } else {
                    s.start();
                }
            }
        });
    }

    public WorkloadStatus status() {
        Supervisor s = supervisor.get();
        return s == null ? WorkloadStatus.PENDING : s.status();
    }

    /** The bound API port. */
    public int port() {
        return server.port();
    }

    /** Debug shell, workload (SIGTERM, ≤ 10 s, SIGKILL), fetch loop, listeners. Idempotent. */
    public void shutdown() {
        if (!shutDown.compareAndSet(false, true)) {
            return;
        }
        log.info("shutting down");
        // The shell's stop runs alongside the workload's: an interactive shell ignores SIGTERM and takes its whole
        // 5 s grace, which must not add to the workload's 10 s (the init SIGKILLs kestrel 15 s after its SIGTERM).
        DebugShell sh = shell;
        Thread shellStop = sh == null ? null : Thread.ofPlatform().name("kestrel-shell-stop").start(sh::stop);
        Thread f = fetcher;
        if (f != null) {
            f.interrupt();
        }
        Supervisor s = supervisor.get();
        if (s != null) {
            s.stop(STOP_GRACE).ifPresent(code -> log.info("workload stopped", "status", code));
        }
        Relay v;
        synchronized (this) { // a listener being started now is either finished or never started
            v = vsock;
        }
        if (v != null) {
            v.close();
        }
        if (shellStop != null) {
            try {
                shellStop.join(Duration.ofSeconds(6));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AgentServer srv = server;
        if (srv != null) {
            srv.close();
        }
        log.info("shutdown complete");
        out.flush();
        err.flush();
    }
}
