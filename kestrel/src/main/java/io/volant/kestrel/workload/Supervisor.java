package io.volant.kestrel.workload;

import io.volant.kestrel.Log;
import io.volant.kestrel.time.Clock;
import io.volant.manifest.time.Backoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs one workload with restart policy {@code always} (plugins-and-guest.md §2.6 Chosen, K1, K3, K6): launch,
 * wait for health asynchronously to the API, restart after a backoff of 1 s doubling to 30 s, reset after 60 s of
 * healthy running. The workload never stops the agent. One supervisor thread owns the loop; {@link #stop} may be
 * called from any thread.
 */
public final class Supervisor {
    static final Duration BACKOFF_INITIAL = Duration.ofSeconds(1);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
    static final Duration STABLE_RUN = Duration.ofSeconds(60);

    private final WorkloadSpec spec;
    private final Map<String, String> agentEnv;
    private final WorkloadLauncher launcher;
    private final HealthWaiter health;
    private final Clock clock;
    private final Log log;
    private final Predicate<Path> isExecutable;

    private final Object lock = new Object();
    private WorkloadState state = WorkloadState.PENDING;
    private WorkloadProcess current;
    private int restarts;
    private Integer lastExit;
    private boolean stopping;
    private Thread thread;
    private final CompletableFuture<WorkloadState> firstSettled = new CompletableFuture<>();

    public Supervisor(WorkloadSpec spec, Map<String, String> agentEnv, WorkloadLauncher launcher, HealthWaiter health,
                      Clock clock, Log log, Predicate<Path> isExecutable) {
        this.spec = spec;
        this.agentEnv = Map.copyOf(agentEnv);
        this.launcher = launcher;
        this.health = health;
        this.clock = clock;
        this.log = log;
        this.isExecutable = isExecutable;
    }

    /** Starts the supervisor thread and returns at once. */
    public void start() {
        synchronized (lock) {
            if (thread != null || stopping) {
                return;
            }
            thread = Thread.ofPlatform().name("kestrel-supervisor").daemon().start(this::loop);
        }
    }

    /**
     * Completes once the first start attempt has an outcome — healthy, a failed launch, a health check past its
     * deadline, an exit before the check passed, or {@link #stop} — with the state at that moment. Never completes
     * exceptionally. (kestrel starts its vsock listener after this, as upstream does after the health check.)
     */
    public CompletableFuture<WorkloadState> firstSettled() {
        return firstSettled;
    }

    private void settle() {
        firstSettled.complete(status().state());
    }

    public WorkloadStatus status() {
        synchronized (lock) {
            Long pid = current != null && !current.onExit().isDone() ? current.pid() : null;
            return new WorkloadStatus(state, pid, restarts, lastExit);
        }
    }

    private void loop() {
        Backoff.Retries backoff = new Backoff(BACKOFF_INITIAL, BACKOFF_MAX).retries();
        try {
            while (true) {
                boolean stable = runOnce();
                if (isStopping()) {
                    return;
                }
                if (stable) {
                    backoff.reset();
                }
                Duration delay = backoff.next();
                log.info("workload restart scheduled", "delay", delay.toMillis() + "ms", "restarts", status().restarts());
                clock.sleep(delay);
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                    restarts++;
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts a backoff sleep or a wait; it owns the process from here.
        } catch (RuntimeException e) {
            log.info("workload supervisor failed", "error", e);
            setState(WorkloadState.FAILED);
        } finally {
            settle();
        }
    }

    /** One launch-to-exit cycle; true when the run was healthy for at least {@link #STABLE_RUN}. */
    private boolean runOnce() throws InterruptedException {
        Map<String, String> env = WorkloadEnvironment.build(agentEnv, spec.env());
        Optional<List<String>> argv = WorkloadEnvironment.resolveArgv(spec.entrypoint(), env, isExecutable);
        if (argv.isEmpty()) {
            log.info("workload start failed", "program", spec.entrypoint().getFirst(),
                    "error", "executable file not found in $PATH", "path", env.get("PATH"));
            setState(WorkloadState.FAILED);
            settle();
            return false;
        }
        WorkloadProcess p;
        synchronized (lock) {
            if (stopping) {
                return false;
            }
            try {
                p = launcher.launch(argv.get(), env, Path.of(spec.workdir().isEmpty() ? "/" : spec.workdir()));
            } catch (IOException | RuntimeException e) {
                log.info("workload start failed", "program", argv.get().getFirst(), "error", e.getMessage());
                state = WorkloadState.FAILED;
                firstSettled.complete(state);
                return false;
            }
            current = p;
            state = WorkloadState.STARTING;
        }
        log.info("workload started", "pid", p.pid(), "program", argv.get().getFirst());
        HealthWaiter.Result result = health.await(spec, () -> !p.onExit().isDone());
        long healthySince = clock.nanos();
        if (result == HealthWaiter.Result.HEALTHY) {
            setState(WorkloadState.RUNNING);
            log.info("workload healthy", "pid", p.pid());
        } else if (result == HealthWaiter.Result.TIMED_OUT && !isStopping()) {
            log.info("workload health check failed", "pid", p.pid(), "result", "deadline exceeded");
            settle();
            stopProcess(p, Duration.ofSeconds(10));
        }
        settle();
        int exit = awaitExit(p);
        boolean stable = result == HealthWaiter.Result.HEALTHY
                && Duration.ofNanos(clock.nanos() - healthySince).compareTo(STABLE_RUN) >= 0;
        synchronized (lock) {
            lastExit = exit;
            if (!stopping) {
                state = exit == 0 && result == HealthWaiter.Result.HEALTHY ? WorkloadState.EXITED : WorkloadState.FAILED;
            }
        }
        log.info("workload process exited", "pid", p.pid(), "status", exit);
        return stable;
    }

    private static int awaitExit(WorkloadProcess p) throws InterruptedException {
        try {
            return p.onExit().get();
        } catch (ExecutionException e) {
            return -1;
        }
    }

    /**
     * Graceful stop (K6): SIGTERM to the process tree, up to {@code grace} for it to exit, then SIGKILL. Also ends
     * the restart loop. Safe to call more than once and before {@link #start()}.
     *
     * @return the exit status, or empty when there was no live process
     */
    public Optional<Integer> stop(Duration grace) {
        WorkloadProcess p;
        Thread t;
        synchronized (lock) {
            stopping = true;
            p = current;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
        Optional<Integer> exit = Optional.empty();
        if (p != null && !p.onExit().isDone()) {
            log.info("workload stopping", "pid", p.pid(), "grace", grace.toMillis() + "ms");
            exit = Optional.of(stopProcess(p, grace));
        }
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            if (p != null && p.onExit().isDone()) {
                lastExit = p.onExit().join();
            }
            state = WorkloadState.EXITED;
        }
        settle();
        return exit;
    }

    private int stopProcess(WorkloadProcess p, Duration grace) {
        p.terminate();
        try {
            return p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("workload ignored SIGTERM, killing", "pid", p.pid(), "grace", grace.toMillis() + "ms");
        } catch (ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.kill();
        try {
            return p.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private void setState(WorkloadState s) {
        synchronized (lock) {
            if (!stopping) {
                state = s;
            }
        }
    }
}
