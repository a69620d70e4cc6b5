package io.volant.kestrel.testing;

import io.volant.kestrel.workload.WorkloadLauncher;
import io.volant.kestrel.workload.WorkloadProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * In-memory {@link WorkloadLauncher} twin: each launch yields a {@link FakeProcess} the test (or a per-launch script)
 * exits, so supervision logic is tested without real processes. Knobs: fail the Nth launch, ignore SIGTERM.
 */
public final class FakeWorkloadLauncher implements WorkloadLauncher {
    private final List<FakeProcess> launched = new ArrayList<>();
    private final AtomicInteger pids = new AtomicInteger(1000);
    private volatile Consumer<FakeProcess> onLaunch = p -> { };
    private volatile int failLaunch = -1;
    private volatile boolean ignoreTerm;

    /** Runs for every new process, on the supervisor thread, right after launch (e.g. {@code p -> p.exit(1)}). */
    public FakeWorkloadLauncher onLaunch(Consumer<FakeProcess> action) {
        this.onLaunch = action;
        return this;
    }

    /** Makes launch number {@code n} (1-based) throw. */
    public FakeWorkloadLauncher failLaunch(int n) {
        this.failLaunch = n;
        return this;
    }

    public FakeWorkloadLauncher ignoreTerm() {
        this.ignoreTerm = true;
        return this;
    }

    @Override
    public WorkloadProcess launch(List<String> argv, Map<String, String> env, Path workdir) throws IOException {
        FakeProcess p;
        synchronized (this) {
            if (launched.size() + 1 == failLaunch) {
                launched.add(null);
                throw new IOException("launch " + failLaunch + " failed on purpose");
            }
            p = new FakeProcess(pids.incrementAndGet(), List.copyOf(argv), Map.copyOf(env), workdir, ignoreTerm);
            launched.add(p);
        }
        onLaunch.accept(p);
        return p;
    }

    public synchronized List<FakeProcess> launched() {
        return new ArrayList<>(launched);
    }

    public synchronized FakeProcess last() {
        return launched.getLast();
    }

    /** A fake process tree. */
    public static final class FakeProcess implements WorkloadProcess {
        private final long pid;
        public final List<String> argv;
        public final Map<String, String> env;
        public final Path workdir;
        private final boolean ignoreTerm;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final AtomicInteger terms = new AtomicInteger();
        private final AtomicInteger kills = new AtomicInteger();

        FakeProcess(long pid, List<String> argv, Map<String, String> env, Path workdir, boolean ignoreTerm) {
            this.pid = pid;
            this.argv = argv;
            this.env = env;
            this.workdir = workdir;
            this.ignoreTerm = ignoreTerm;
        }

        public void exit(int status) {
            exit.complete(status);
        }

        public int terms() {
            return terms.get();
        }

        public int kills() {
            return kills.get();
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        @Override
        public void terminate() {
            terms.incrementAndGet();
            if (!ignoreTerm) {
                exit.complete(128 + 15);
            }
        }

        @Override
        public void kill() {
            kills.incrementAndGet();
            exit.complete(128 + 9);
        }
    }
}
