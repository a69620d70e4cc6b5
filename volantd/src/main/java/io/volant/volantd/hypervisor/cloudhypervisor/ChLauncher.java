package io.volant.volantd.hypervisor.cloudhypervisor;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cloud Hypervisor backend (host-runtime.md §3): stages media, starts CH with the argv of {@link ChArgv} in its
 * own session, stops with the API power button, SIGTERM after the grace, SIGKILL 5 s later, and cleans up every
 * file of §3.8 on every exit. Thread-safe.
 */
public final class ChLauncher implements Launcher, ConsoleProvider, AgentAccess {
    private static final Logger LOG = LoggerFactory.getLogger(ChLauncher.class);

    private final String binary;
    private final HostEnv env;
    private final AgentTransports transports;
    private final Map<String, ChInstance> live = new ConcurrentHashMap<>();

    public ChLauncher(String binary, HostEnv env) {
        if (binary == null || binary.isBlank()) {
            throw new HypervisorException("cloudhypervisor: binary path required");
        }
        this.binary = binary;
        this.env = env;
        this.transports = new AgentTransports(env.netns());
    }

    @Override
    public Optional<AgentAccess> agentAccess() {
        return Optional.of(this);
    }

    @Override
    public AgentTransport agentTransport(String vmName, String ip) {
        return transports.select(vmName, ip, new HostPaths(env.runtimeDir(), env.logDir(), vmName).vsockSocket());
    }

    @Override
    public ConsoleHub consoleHub() {
        return env.console();
    }

    @Override
    public String backend() {
        return "cloud-hypervisor";
    }

    @Override
    public Instance launch(LaunchSpec spec, io.volant.volantd.hypervisor.ProcessStarted started) {
        HostPaths paths = prepareSockets(spec.name());
        StagedMedia media = env.stager().stage(spec, paths);
        return start(spec.name(), ChArgv.build(binary, spec, paths, media), paths, media.files(), started);
    }

    /**
     * Starts CH from the snapshot a suspend wrote (its config: devices, tap, sockets, CID) and resumes it. The media
     * are staged again because the snapshot's config names them; the saved disk copies replace the fresh ones.
     */
    @Override
    public Instance restore(LaunchSpec spec, Path stateDir, io.volant.volantd.hypervisor.ProcessStarted started) {
        Path snapshot = ChSuspend.snapshotOf(spec.name(), stateDir);
        HostPaths paths = prepareSockets(spec.name());
        StagedMedia media = env.stager().stage(spec, paths);
        SavedDisks.restore(paths, stateDir, media);
        ChInstance inst = start(spec.name(), ChArgv.restore(binary, paths, snapshot), paths, media.files(), started);
        try {
            ChSuspend.resume(new ChApiClient(paths.apiSocket()), spec.name(), inst.exit(), ChSuspend.RESTORE);
        } catch (RuntimeException e) {
            try {
                inst.stop(Duration.ZERO);
            } catch (RuntimeException se) {
                LOG.warn("stop after failed resume failed vm={} error={}", spec.name(), se.getMessage());
            }
            throw e;
        }
        LOG.info("vm resumed vm={} backend=cloud-hypervisor pid={}", spec.name(), inst.pid());
        return inst;
    }

    /** Checks and clears the sockets of {@code name} under {@code dir} (the runtime dir, or the templates' dir). */
    HostPaths prepareSockets(String name) {
        return prepareSockets(env.runtimeDir(), name);
    }

    HostPaths prepareSockets(Path dir, String name) {
        HostPaths paths = new HostPaths(dir, env.logDir(), name);
        HostPaths.checkSocket(paths.apiSocket());
        HostPaths.checkSocket(paths.serialSocket());
        HostPaths.checkSocket(paths.vsockSocket());
        for (Path s : List.of(paths.apiSocket(), paths.serialSocket(), paths.vsockSocket())) {
            HostPaths.checkOptionPath(s);
            deleteQuietly(s);
        }
        return paths;
    }

    /** Starts CH with {@code argv}; {@code started} hears the pid before anything else is set up. */
    ChInstance start(String name, List<String> argv, HostPaths paths, List<Path> media,
            io.volant.volantd.hypervisor.ProcessStarted started) {
        List<Path> owned = new ArrayList<>(media);
        owned.addAll(List.of(paths.apiSocket(), paths.serialSocket(), paths.vsockSocket()));
        LOG.info("launching vm={} backend=cloud-hypervisor binary={}", name, binary);
        HypervisorProcess.Started p;
        try {
            p = HypervisorProcess.start(argv, env.netns(), paths.hypervisorLog());
        } catch (RuntimeException e) {
            MediaStager.removeAll(owned);
            throw new HypervisorException("cloudhypervisor: start: " + e.getMessage(), e);
        }
        p.report(started, () -> MediaStager.removeAll(owned));
        List<Runnable> releasers = new ArrayList<>();
        if (env.console() != null) {
            env.console().open(name, paths.serialSocket(), paths.consoleLog());
            releasers.add(() -> env.console().close(name));
        }
        ChInstance inst = new ChInstance(name, p, owned, releasers, paths);
        live.put(name, inst);
        inst.exit().whenComplete((r, e) -> live.remove(name, inst));
        LOG.info("vm launched vm={} backend=cloud-hypervisor pid={}", name, inst.pid());
        return inst;
    }

    /** Re-attaches to a CH that survived a volantd restart (§3.6: its argv contains {@code <R>/<name>.sock}). */
    @Override
    public Optional<Instance> adopt(String vmName, long pid) {
        HostPaths paths = new HostPaths(env.runtimeDir(), env.logDir(), vmName);
        Optional<HypervisorProcess.Started> p = HypervisorProcess.adopt(pid, paths.apiSocket().toString());
        if (p.isEmpty()) {
            return Optional.empty();
        }
        List<Path> owned = new ArrayList<>(HypervisorProcess.ownedFiles(pid, env.runtimeDir(), vmName));
        List<Runnable> releasers = new ArrayList<>();
        if (env.console() != null) {
            env.console().open(vmName, paths.serialSocket(), paths.consoleLog());
            releasers.add(() -> env.console().close(vmName));
        }
        ChInstance inst = new ChInstance(vmName, p.get(), owned, releasers, paths);
        live.put(vmName, inst);
        inst.exit().whenComplete((r, e) -> live.remove(vmName, inst));
        LOG.info("vm adopted vm={} backend=cloud-hypervisor pid={}", vmName, pid);
        return Optional.of(inst);
    }

    @Override
    public void close() {
        for (ChInstance i : live.values()) {
            i.kill();
        }
        transports.close();
    }

    /** §3.6 Chosen: exit code 0 → stopped, anything else (a signal volantd did not send included) → crashed. */
    static ExitResult classify(int status) {
        if (status == -1) { // adopted: a non-child's exit status is unknown
            return ExitResult.unknown();
        }
        if (status > 128 && status < 160) {
            return ExitResult.signal(switch (status - 128) {
                case 9 -> "KILL";
                case 15 -> "TERM";
                case 2 -> "INT";
                default -> "SIG" + (status - 128);
            });
        }
        return ExitResult.code(status);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new HypervisorException("cloudhypervisor: prepare serial socket: " + e.getMessage(), e);
        }
    }

    String binary() {
        return binary;
    }

    HostEnv env() {
        return env;
    }

    static final class ChInstance extends SupervisedInstance {
        private final HostPaths paths;
        private final ProcessHandle handle;

        ChInstance(String name, HypervisorProcess.Started p, List<Path> owned, List<Runnable> releasers,
                HostPaths paths) {
            super(name, p.handle(), p.exit(), owned, releasers);
            this.paths = paths;
            this.handle = p.handle();
            watch();
        }

        @Override
        protected ExitResult classify(int exitStatus) {
            return ChLauncher.classify(exitStatus);
        }

        @Override
        protected void requestGracefulShutdown() {
            int code = new ChApiClient(paths.apiSocket()).put("vm.power-button");
            if (code != 204) {
                LOG.warn("power button not accepted vm={} status={}", name(), code);
            }
        }

        @Override
        protected void requestTerminate() {
            handle.destroy();
        }

        @Override
        public void suspend(Path stateDir) {
            ChSuspend.save(new ChApiClient(paths.apiSocket()), this, paths, stateDir);
        }

        @Override
        public Path controlSocket() {
            return paths.apiSocket();
        }

        @Override
        public Path serialSocket() {
            return paths.serialSocket();
        }

        @Override
        public Path vsockSocket() {
            return paths.vsockSocket();
        }
    }
}
