package io.volant.volantd.hypervisor.process;

import io.volant.volantd.hypervisor.ExitResult;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hypervisor child process plus the host files it owns, with the Chosen stop sequence of host-runtime.md §3.7
 * (graceful request, wait up to the grace, terminate, wait 5 s, SIGKILL) and the full cleanup of §3.8 on every exit
 * path. Backends supply the graceful and terminate requests and the exit classification.
 */
public abstract class SupervisedInstance implements Instance {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedInstance.class);
    /** Step 2 of §3.7: how long the terminate request gets before SIGKILL. */
    public static final Duration TERMINATE_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final ProcessHandle process;
    private final CompletableFuture<Integer> processExit;
    private final List<Path> ownedFiles;
    private final List<Runnable> releasers;
    private final CompletableFuture<ExitResult> exit = new CompletableFuture<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Object stopLock = new Object();

    /**
     * @param processExit completes with the exit status ({@code 128 + signal} for death by a signal, as the JDK
     *                    reports it) when the process has gone
     * @param ownedFiles  files removed on every exit (sockets, staged media)
     * @param releasers   further cleanup run once after exit (console hub, QMP reader), failures logged
     */
    protected SupervisedInstance(String name, ProcessHandle process, CompletableFuture<Integer> processExit,
            List<Path> ownedFiles, List<Runnable> releasers) {
        this.name = name;
        this.process = process;
        this.processExit = processExit;
        this.ownedFiles = List.copyOf(ownedFiles);
        this.releasers = List.copyOf(releasers);
    }

    /** Starts watching the process; call once the subclass is fully constructed. */
    protected final void watch() {
        processExit.whenComplete((code, err) -> {
            int status = code == null ? -1 : code;
            ExitResult result;
            try {
                result = stopRequested.get() ? ExitResult.stopped() : classify(status);
            } catch (RuntimeException e) {
                LOG.warn("exit classification failed vm={}", name, e);
                result = ExitResult.unknown();
            }
            release();
            LOG.info("hypervisor exited vm={} pid={} status={} reason={}", name, process.pid(), status,
                    result.reason());
            exit.complete(result);
        });
    }

    /** Maps the process exit status to stopped/crashed for an exit volantd did not ask for. */
    protected abstract ExitResult classify(int exitStatus);

    /** Step 1 of §3.7: ask the guest to shut down (power button); failures are logged, not thrown. */
    protected abstract void requestGracefulShutdown();

    /** Step 2 of §3.7: ask the hypervisor itself to terminate. */
    protected abstract void requestTerminate();

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<ExitResult> exit() {
        return exit;
    }

    @Override
    public void stop(Duration grace) {
        synchronized (stopLock) {
            if (processExit.isDone()) {
                awaitExitResult();
                return;
            }
            stopRequested.set(true);
            if (!grace.isZero() && !grace.isNegative()) {
                safely("graceful shutdown", this::requestGracefulShutdown);
                if (waitFor(grace)) {
                    awaitExitResult();
                    return;
                }
                LOG.info("graceful stop timed out vm={} grace={}s", name, grace.toSeconds());
            }
            safely("terminate", this::requestTerminate);
            if (!waitFor(TERMINATE_WAIT)) {
                LOG.warn("hypervisor ignored terminate, killing vm={} pid={}", name, process.pid());
                process.destroyForcibly();
                if (!waitFor(Duration.ofSeconds(30))) {
                    release();
                    throw new HypervisorException("stop vm " + name + ": process " + process.pid()
                            + " still alive after SIGKILL");
                }
            }
            awaitExitResult();
        }
    }

    /** Kills without grace (engine shutdown without adoption); cleans up as every exit does. */
    public void kill() {
        stopRequested.set(true);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private void awaitExitResult() {
        try {
            exit.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            release();
        }
    }

    private boolean waitFor(Duration d) {
        try {
            processExit.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        for (Runnable r : releasers) {
            safely("release", r);
        }
        for (Path p : ownedFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cleanup failed vm={} file={} err={}", name, p, e.toString());
            }
        }
    }

    private void safely(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed vm={} err={}", what, name, e.getMessage());
        }
    }
}
