package io.volant.volantd.hypervisor.qemu;

import io.volant.volantd.agent.AgentAccess;
import io.volant.volantd.agent.AgentTransport;
import io.volant.volantd.agent.AgentTransports;
import io.volant.volantd.console.ConsoleHub;
import io.volant.volantd.console.ConsoleProvider;
import io.volant.volantd.hypervisor.ExitResult;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.Launcher;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.MediaStager;
import io.volant.volantd.hypervisor.media.SavedDisks;
import io.volant.volantd.hypervisor.media.StagedMedia;
import io.volant.volantd.hypervisor.process.HostEnv;
import io.volant.volantd.hypervisor.process.HypervisorProcess;
import io.volant.volantd.hypervisor.process.SupervisedInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QEMU backend (host-runtime.md §9): stages media, starts {@code qemu-system-x86_64} with the argv of
 * {@link QemuArgv}, holds a QMP connection for graceful stop ({@code system_powerdown}), terminate ({@code quit})
 * and exit classification by the last {@code SHUTDOWN} reason (§9.4). Thread-safe.
 */
public final class QemuLauncher implements Launcher, ConsoleProvider, AgentAccess {
    private static final Logger LOG = LoggerFactory.getLogger(QemuLauncher.class);
    private static final Set<String> CLEAN_REASONS = Set.of("guest-shutdown", "host-qmp-quit", "host-signal");

    private final QemuOptions options;
    private final HostEnv env;
    private final AgentTransports transports;
    private final Map<String, QemuInstance> live = new ConcurrentHashMap<>();
    private final QemuTemplating templating;

    public QemuLauncher(QemuOptions options, HostEnv env) {
        this.options = options;
        this.env = env;
        this.transports = new AgentTransports(env.netns());
        this.templating = new QemuTemplating(this);
    }

    @Override
    public Optional<AgentAccess> agentAccess() {
        return Optional.of(this);
    }

    @Override
    public AgentTransport agentTransport(String vmName, String ip) {
        return transports.select(vmName, ip, null);
    }

    @Override
    public ConsoleHub consoleHub() {
        return env.console();
    }

    @Override
    public String backend() {
        return "qemu";
    }

    public QemuOptions options() {
        return options;
    }

    @Override
    public Instance launch(LaunchSpec spec, io.volant.volantd.hypervisor.ProcessStarted started) {
        HostPaths paths = new HostPaths(env.runtimeDir(), env.logDir(), spec.name());
        HostPaths.checkSocket(paths.serialSocket());
        HostPaths.checkSocket(paths.qmpSocket());
        if (spec.tapDevice().isBlank() && !options.vhostVsock()) {
            throw new HypervisorException("network mode vsock is not supported by the qemu backend");
        }
        if (!spec.vfioDevicePaths().isEmpty() && !options.kvm()) {
            throw new HypervisorException("VFIO passthrough requires KVM");
        }
        HostPaths.checkSocket(paths.identitySocket());
        StagedMedia media = env.stager().stage(spec, paths);
        return start(spec, paths, media, media.files(), QemuArgv.Boot.COLD, started);
    }

    /**
     * Starts QEMU for {@code spec} with {@code media} already staged and connects QMP; {@code ownedMedia} are
     * removed on failure and when the instance stops (a clone owns none: its media are the template's).
     * {@code started} hears the pid before QMP is connected.
     */
    QemuInstance start(LaunchSpec spec, HostPaths paths, StagedMedia media, List<Path> ownedMedia,
            QemuArgv.Boot boot, io.volant.volantd.hypervisor.ProcessStarted started) {
        HostPaths.checkSocket(paths.serialSocket());
        HostPaths.checkSocket(paths.qmpSocket());
        HostPaths.checkSocket(paths.identitySocket());
        deleteQuietly(paths.serialSocket());
        deleteQuietly(paths.qmpSocket());
        deleteQuietly(paths.identitySocket());
        List<Path> owned = new ArrayList<>(ownedMedia);
        owned.add(paths.serialSocket());
        owned.add(paths.qmpSocket());
        owned.add(paths.identitySocket());
        List<String> argv;
        try {
            argv = QemuArgv.build(options, spec, paths, media, boot);
        } catch (RuntimeException e) {
            MediaStager.removeAll(owned);
            throw e;
        }
        LOG.info("launching vm={} backend=qemu accel={} binary={} ram_file={} incoming={}", spec.name(),
                options.accel(), options.binary(), boot.ramFile(), boot.incoming());
        HypervisorProcess.Started p;
        try {
            p = HypervisorProcess.start(argv, env.netns(), paths.hypervisorLog());
        } catch (RuntimeException e) {
            MediaStager.removeAll(owned);
            throw new HypervisorException("qemu: start: " + e.getMessage(), e);
        }
        p.report(started, () -> MediaStager.removeAll(owned));
        QmpClient qmp;
        try {
            qmp = QmpClient.connect(paths.qmpSocket(), Duration.ofSeconds(5), () -> p.exit().isDone());
        } catch (RuntimeException e) {
            p.handle().destroyForcibly();
            p.exit().join();
            MediaStager.removeAll(owned);
            throw new HypervisorException(e.getMessage() + logTail(paths.hypervisorLog()), e);
        }
        if (env.console() != null) {
            env.console().open(spec.name(), paths.serialSocket(), paths.consoleLog());
        }
        List<Runnable> releasers = new ArrayList<>();
        releasers.add(qmp::close);
        if (env.console() != null) {
            releasers.add(() -> env.console().close(spec.name()));
        }
        QemuInstance inst = new QemuInstance(spec.name(), p, owned, releasers, qmp, paths,
                boot.ramFile() != null || boot.ramBackend());
        live.put(spec.name(), inst);
        inst.exit().whenComplete((r, e) -> live.remove(spec.name(), inst));
        LOG.info("vm launched vm={} backend=qemu pid={}", spec.name(), inst.pid());
        return inst;
    }

    /** Re-attaches to a QEMU that survived a volantd restart (§3.6: its argv contains {@code <R>/<name>.qmp}). */
    @Override
    public java.util.Optional<Instance> adopt(String vmName, long pid) {
        HostPaths paths = new HostPaths(env.runtimeDir(), env.logDir(), vmName);
        java.util.Optional<HypervisorProcess.Started> p = HypervisorProcess.adopt(pid, paths.qmpSocket().toString());
        if (p.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Path> owned = new ArrayList<>(HypervisorProcess.ownedFiles(pid, env.runtimeDir(), vmName));
        QmpClient qmp = QmpClient.connect(paths.qmpSocket(), Duration.ofSeconds(2), () -> p.get().exit().isDone());
        List<Runnable> releasers = new ArrayList<>();
        releasers.add(qmp::close);
        if (env.console() != null) {
            env.console().open(vmName, paths.serialSocket(), paths.consoleLog());
            releasers.add(() -> env.console().close(vmName));
        }
        boolean ramBackend = p.get().handle().info().arguments()
                .map(a -> java.util.Arrays.stream(a).anyMatch(x -> x.startsWith("memory-backend-"))).orElse(false);
        QemuInstance inst = new QemuInstance(vmName, p.get(), owned, releasers, qmp, paths, ramBackend);
        live.put(vmName, inst);
        inst.exit().whenComplete((r, e) -> live.remove(vmName, inst));
        QemuSuspend.continueInterrupted(inst);
        LOG.info("vm adopted vm={} backend=qemu pid={}", vmName, pid);
        return java.util.Optional.of(inst);
    }

    /** Boots nothing: starts QEMU with the VM's argv plus {@code -incoming defer} and loads the suspended state. */
    @Override
    public Instance restore(LaunchSpec spec, Path stateDir, io.volant.volantd.hypervisor.ProcessStarted started) {
        HostPaths paths = new HostPaths(env.runtimeDir(), env.logDir(), spec.name());
        QemuSuspend.checkState(spec.name(), stateDir);
        if (spec.tapDevice().isBlank() && !options.vhostVsock()) {
            throw new HypervisorException("network mode vsock is not supported by the qemu backend");
        }
        StagedMedia media = env.stager().stage(spec, paths);
        SavedDisks.restore(paths, stateDir, media);
        QemuInstance inst = start(spec, paths, media, media.files(), QemuSuspend.boot(stateDir), started);
        QemuSuspend.load(inst, paths, stateDir);
        return inst;
    }

    @Override
    public void close() {
        for (QemuInstance i : live.values()) {
            i.kill();
        }
        transports.close();
    }

    /** Classification of an exit volantd did not request (§9.4). */
    static ExitResult classify(int status, String lastShutdownReason) {
        if (status == -1) { // adopted: the status of a non-child is unknown, only QMP can tell
            return lastShutdownReason != null && CLEAN_REASONS.contains(lastShutdownReason) ? ExitResult.clean()
                    : ExitResult.unknown();
        }
        if (status > 128 && status < 160) {
            return ExitResult.signal(signalName(status - 128));
        }
        if (status != 0) {
            return ExitResult.code(status);
        }
        if (lastShutdownReason != null && CLEAN_REASONS.contains(lastShutdownReason)) {
            return ExitResult.clean();
        }
        // guest-reset (reboot or panic under -no-reboot), guest-panic or no SHUTDOWN event at all. ExitResult has no
        // free-text detail, so the crash message is the generic "status unknown" one; the reason is logged here.
        LoggerFactory.getLogger(QemuLauncher.class).info("qemu exit classified crashed shutdown_reason={}",
                lastShutdownReason);
        return ExitResult.unknown();
    }

    static String signalName(int sig) {
        return switch (sig) {
            case 9 -> "KILL";
            case 15 -> "TERM";
            case 2 -> "INT";
            case 11 -> "SEGV";
            case 6 -> "ABRT";
            default -> "SIG" + sig;
        };
    }

    static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            int from = Math.max(0, lines.size() - 5);
            String tail = String.join(" | ", lines.subList(from, lines.size())).trim();
            return tail.isEmpty() ? "" : " (" + log + ": " + tail + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale socket that cannot be removed makes QEMU fail with a clear message
        }
    }

    /** The launcher's runtime environment (templates live under its runtime dir). */
    HostEnv env() {
        return env;
    }

    @Override
    public java.util.Optional<io.volant.volantd.hypervisor.template.Templating> templating() {
        return java.util.Optional.of(templating);
    }

    static final class QemuInstance extends SupervisedInstance {
        private final QmpClient qmp;
        private final HostPaths paths;
        private final ProcessHandle handle;
        private final boolean ramBackend;

        /** @param ramBackend guest RAM is the memory backend {@code mem} (a template, a clone, a resumed clone) */
        QemuInstance(String name, HypervisorProcess.Started p, List<Path> owned, List<Runnable> releasers,
                QmpClient qmp, HostPaths paths, boolean ramBackend) {
            super(name, p.handle(), p.exit(), owned, releasers);
            this.qmp = qmp;
            this.paths = paths;
            this.handle = p.handle();
            this.ramBackend = ramBackend;
            watch();
        }

        @Override
        public void suspend(Path stateDir) {
            QemuSuspend.save(this, paths, stateDir, ramBackend);
        }

        @Override
        protected ExitResult classify(int exitStatus) {
            // QEMU writes SHUTDOWN just before exiting: let the reader drain it before deciding.
            qmp.awaitClosed(Duration.ofSeconds(2));
            return QemuLauncher.classify(exitStatus, qmp.lastShutdownReason());
        }

        @Override
        protected void requestGracefulShutdown() {
            qmp.execute("system_powerdown", Duration.ofSeconds(5));
        }

        @Override
        protected void requestTerminate() {
            try {
                qmp.execute("quit", Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                handle.destroy();
            }
        }

        QmpClient qmp() {
            return qmp;
        }

        @Override
        public Path controlSocket() {
            return paths.qmpSocket();
        }

        @Override
        public Path serialSocket() {
            return paths.serialSocket();
        }

        @Override
        public Path vsockSocket() {
            return null;
        }
    }
}
