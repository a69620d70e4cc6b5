package io.volant.volantd.hypervisor;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code simulated} backend (host-runtime.md §9.8): no process, real bookkeeping, and test controls for exits,
 * launch and suspend failures and agent health. Instances live in memory only and vanish with volantd, so startup
 * recovery records their rows {@code crashed}; a suspend writes a real state file (the uptime), so a suspended VM
 * resumes after a volantd restart with its uptime continued. Thread-safe.
 */
public final class SimulatedLauncher implements Launcher {
    /**
     * Config label (a word of the config's {@code kernel_cmdline}) that makes every VM of that config fail to launch
     * with {@code simulated: launch failed}: rollouts to a broken config are tested without timing races.
     */
    public static final String LABEL_LAUNCH_FAIL = "simulated.launch=fail";
    /** Config label (a {@code kernel_cmdline} word) whose VMs boot but whose agent stub never reports healthy. */
    public static final String LABEL_UNHEALTHY = "simulated.health=unhealthy";

    /** Above Linux's largest pid_max, so a simulated pid never names a real process. */
    public static final long FIRST_PID = 4_194_305L;
    /** The file a simulated suspend writes into the state directory: the guest's uptime in milliseconds. */
    public static final String STATE_FILE = "simulated-uptime";

    private final Duration launchDelay;
    private final Duration readyDelay;
    private volatile boolean healthyByDefault;
    private final Clock clock;
    private final AtomicLong nextPid = new AtomicLong(FIRST_PID);
    private final Map<String, SimulatedInstance> live = new ConcurrentHashMap<>();
    private final List<LaunchSpec> launches = new ArrayList<>();
    private final Failures launchFailures = new Failures();
    private final Failures suspendFailures = new Failures();
    private final Failures lateFailures = new Failures();
    private final Failures crashes = new Failures();

    public SimulatedLauncher(Duration launchDelay, Duration readyDelay, boolean healthyByDefault, Clock clock) {
        this.launchDelay = launchDelay;
        this.readyDelay = readyDelay;
        this.healthyByDefault = healthyByDefault;
        this.clock = clock;
    }

    /** No launch delay, healthy instances, system clock. */
    public SimulatedLauncher() {
        this(Duration.ZERO, Duration.ZERO, true, Clock.systemUTC());
    }

    @Override
    public String backend() {
        return "simulated";
    }

    @Override
    public Instance launch(LaunchSpec spec, ProcessStarted started) {
        synchronized (launches) {
            launches.add(spec);
        }
        if (launchFailures.take(spec.name()) || hasLabel(spec, LABEL_LAUNCH_FAIL)) {
            throw new HypervisorException("simulated: launch failed");
        }
        return start(spec, Duration.ZERO, started);
    }

    /**
     * A restore is a launch (it consumes launch failures) whose instance carries on the saved uptime; the state is
     * the file {@link SimulatedInstance#suspend} wrote.
     */
    @Override
    public Instance restore(LaunchSpec spec, Path stateDir, ProcessStarted started) {
        synchronized (launches) {
            launches.add(spec);
        }
        Path file = stateDir.resolve(STATE_FILE);
        long uptimeMs;
        try {
            uptimeMs = Long.parseLong(Files.readString(file).trim());
        } catch (NoSuchFileException e) {
            throw new HypervisorException("simulated: restore: state file missing: " + file);
        } catch (IOException | NumberFormatException e) {
            throw new HypervisorException("simulated: restore: unreadable state file " + file + ": " + e.getMessage(), e);
        }
        if (launchFailures.take(spec.name())) {
            throw new HypervisorException("simulated: restore failed");
        }
        return start(spec, Duration.ofMillis(uptimeMs), started);
    }

    /** The instance exists once {@code started} heard its pid; then the late-failure and crash knobs apply. */
    private Instance start(LaunchSpec spec, Duration uptime, ProcessStarted started) {
        if (!launchDelay.isZero()) {
            try {
                Thread.sleep(launchDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HypervisorException("simulated: launch interrupted", e);
            }
        }
        SimulatedInstance inst = new SimulatedInstance(spec.name(), nextPid.getAndIncrement(), clock.instant().minus(uptime),
                healthyByDefault && !hasLabel(spec, LABEL_UNHEALTHY));
        SimulatedInstance previous = live.put(spec.name(), inst);
        if (previous != null && !previous.exit.isDone()) {
            // The engine never launches a name twice; if it did, the older one is gone now.
            previous.finish(ExitResult.stopped());
        }
        try {
            started.started(inst.pid());
        } catch (RuntimeException e) {
            inst.finish(ExitResult.stopped());
            throw e;
        }
        if (crashes.take(spec.name())) {
            throw new SimulatedCrash(spec.name()); // the instance lives on, like a process volantd lost track of
        }
        if (lateFailures.take(spec.name())) {
            inst.finish(ExitResult.stopped());
            throw new HypervisorException("simulated: launch failed after the process started");
        }
        return inst;
    }

    /**
     * volantd "dies" in the middle of a launch (issue 14 item 8): thrown right after the pid was reported, an
     * {@link Error} so no caller's clean-up runs; the instance stays live. Tests then halt the engine.
     */
    public static final class SimulatedCrash extends Error {
        SimulatedCrash(String vm) {
            super("simulated: volantd crashed while launching " + vm);
        }
    }

    private static boolean hasLabel(LaunchSpec spec, String label) {
        return java.util.Arrays.asList(spec.kernelCmdline().split("\\s+")).contains(label);
    }

    /** Whether instances launched from now on start healthy ({@code VOLANT_SIMULATED_HEALTH}). */
    public void setNewInstancesHealthy(boolean healthy) {
        this.healthyByDefault = healthy;
    }

    /** Makes the next {@code count} launches (of {@code vm} when non-null) fail with {@code simulated: launch failed}. */
    public void failNextLaunches(int count, String vm) {
        launchFailures.add(count, vm);
    }

    /**
     * Makes the next {@code count} launches (of {@code vm} when non-null) fail after the instance started and its pid
     * was reported (the instance is stopped, as a launcher does when e.g. QMP never answers).
     */
    public void failNextLaunchesAfterStart(int count, String vm) {
        lateFailures.add(count, vm);
    }

    /** The next launch of {@code vm} throws {@link SimulatedCrash} right after reporting its pid. */
    public void crashAfterStart(String vm) {
        crashes.add(1, vm);
    }

    /**
     * Makes the next {@code count} suspends (of {@code vm} when non-null) fail with {@code simulated: suspend failed};
     * the instance keeps running, as a real backend resumes the paused guest.
     */
    public void failNextSuspends(int count, String vm) {
        suspendFailures.add(count, vm);
    }

    /** The VM's live instance exits now with {@code code}; 409 {@code vm not running} when none is live. */
    public void exit(String vm, int code) {
        liveInstance(vm).finish(ExitResult.code(code));
    }

    /** The VM's live instance dies by {@code signal} ({@code KILL}, {@code TERM}). */
    public void kill(String vm, String signal) {
        liveInstance(vm).finish(ExitResult.signal(signal));
    }

    /** From now on the agent stub reports {@code running} (healthy) or {@code failed} with {@code httpStatus}. */
    public void setHealth(String vm, boolean healthy, int httpStatus) {
        SimulatedInstance i = liveInstance(vm);
        i.health = new Health(healthy, httpStatus);
    }

    /** The agent stub's answer to {@code GET /healthz}, or empty when the VM has no live instance. */
    public Optional<AgentHealth> health(String vm) {
        SimulatedInstance i = live.get(vm);
        if (i == null || i.exit.isDone()) {
            return Optional.empty();
        }
        Health h = i.health;
        String state;
        if (clock.instant().isBefore(i.launchedAt.plus(readyDelay))) {
            state = "starting";
        } else {
            state = h.healthy ? "running" : "failed";
        }
        return Optional.of(new AgentHealth(h.healthy ? 200 : h.status, state,
                Duration.between(i.launchedAt, clock.instant())));
    }

    /** The live instance's exit, completed when it stops or dies; empty when the VM has no live instance. */
    public Optional<CompletableFuture<ExitResult>> exitOf(String vm) {
        SimulatedInstance i = live.get(vm);
        return i == null || i.exit.isDone() ? Optional.empty() : Optional.of(i.exit);
    }

    /** When the VM's live instance was launched (the time stamp of its agent stub's log lines); now when none. */
    public Instant startedAt(String vm) {
        SimulatedInstance i = live.get(vm);
        return i == null ? clock.instant() : i.launchedAt;
    }

    /** True when the VM has a live simulated instance. */
    public boolean isLive(String vm) {
        SimulatedInstance i = live.get(vm);
        return i != null && !i.exit.isDone();
    }

    /** Every spec handed to {@link #launch}, failed ones included, in order. */
    public List<LaunchSpec> launches() {
        synchronized (launches) {
            return List.copyOf(launches);
        }
    }

    private SimulatedInstance liveInstance(String vm) {
        SimulatedInstance i = live.get(vm);
        if (i == null || i.exit.isDone()) {
            throw new ConflictException("vm not running");
        }
        return i;
    }

    /** Kills every live instance (volantd's memory vanishing). */
    @Override
    public void close() {
        for (SimulatedInstance i : live.values()) {
            i.finish(ExitResult.signal("KILL"));
        }
        live.clear();
    }

    /** What the simulated agent's {@code /healthz} returns. */
    public record AgentHealth(int httpStatus, String workloadState, Duration uptime) {}

    private record Health(boolean healthy, int status) {}

    /** Pending failures: a count for any VM and counts per VM name; per-VM ones are used first. */
    private static final class Failures {
        private int any;
        private final Map<String, Integer> byVm = new java.util.HashMap<>();

        synchronized void add(int count, String vm) {
            if (count < 1) {
                throw new InvalidArgumentException("count is required");
            }
            if (vm == null || vm.isBlank()) {
                any += count;
            } else {
                byVm.merge(vm, count, Integer::sum);
            }
        }

        synchronized boolean take(String vm) {
            Integer n = byVm.get(vm);
            if (n != null && n > 0) {
                if (n == 1) {
                    byVm.remove(vm);
                } else {
                    byVm.put(vm, n - 1);
                }
                return true;
            }
            if (any > 0) {
                any--;
                return true;
            }
            return false;
        }
    }

    private final class SimulatedInstance implements Instance {
        private final String name;
        private final long pid;
        private final Instant launchedAt;
        private final CompletableFuture<ExitResult> exit = new CompletableFuture<>();
        private volatile Health health;

        SimulatedInstance(String name, long pid, Instant launchedAt, boolean healthy) {
            this.name = name;
            this.pid = pid;
            this.launchedAt = launchedAt;
            this.health = new Health(healthy, healthy ? 200 : 503);
        }

        void finish(ExitResult r) {
            live.remove(name, this);
            exit.complete(r);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public Path controlSocket() {
            return null;
        }

        @Override
        public Path serialSocket() {
            return null;
        }

        @Override
        public Path vsockSocket() {
            return null;
        }

        @Override
        public CompletableFuture<ExitResult> exit() {
            return exit;
        }

        @Override
        public void stop(Duration grace) {
            finish(ExitResult.stopped());
        }

        /** Writes the uptime so far as the whole "state"; the instance then ends like a stopped one. */
        @Override
        public void suspend(Path stateDir) {
            if (exit.isDone()) {
                throw new HypervisorException("simulated: suspend: vm " + name + " is not running");
            }
            if (suspendFailures.take(name)) {
                throw new HypervisorException("simulated: suspend failed");
            }
            long uptimeMs = Duration.between(launchedAt, clock.instant()).toMillis();
            try {
                Files.writeString(stateDir.resolve(STATE_FILE), Long.toString(uptimeMs));
            } catch (IOException e) {
                throw new HypervisorException("simulated: suspend: write state: " + e.getMessage(), e);
            }
            finish(ExitResult.stopped());
        }
    }
}
