package io.volant.kestrel.workload;

import io.volant.kestrel.logs.LinePump;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * Starts real processes with {@link ProcessBuilder}. The JDK cannot put a child into its own process group, so
 * (as plugins-and-guest.md §2.14 allows) stopping signals the process and every {@link ProcessHandle#descendants()
 * descendant} instead of {@code kill(-pgid)}. The JDK reaps the child itself, so no {@code waitpid(-1)} is needed.
 */
public final class ProcessWorkloadLauncher implements WorkloadLauncher {
    private final LinePump pump;
    private final PrintStream stdoutConsole;
    private final PrintStream stderrConsole;

    public ProcessWorkloadLauncher(LinePump pump, PrintStream stdoutConsole, PrintStream stderrConsole) {
        this.pump = pump;
        this.stdoutConsole = stdoutConsole;
        this.stderrConsole = stderrConsole;
    }

    @Override
    public WorkloadProcess launch(List<String> argv, Map<String, String> env, Path workdir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workdir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        // Platform threads, not virtual ones: a pipe read blocks its carrier, and a guest with one vCPU has a single
        // carrier, so two idle pumps starved the HTTP server's virtual threads once the workload was running.
        Thread.ofPlatform().daemon().name("workload-stdout-" + p.pid())
                .start(() -> pump.pump("stdout", p.getInputStream(), stdoutConsole));
        Thread.ofPlatform().daemon().name("workload-stderr-" + p.pid())
                .start(() -> pump.pump("stderr", p.getErrorStream(), stderrConsole));
        return new Handle(p);
    }

    private static final class Handle implements WorkloadProcess {
        private final Process process;
        /** Every descendant seen so far; orphans re-parented after the main process died still get the SIGKILL. */
        private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

        /** Created once: every {@code Process.onExit()} call makes a new future that completes asynchronously. */
        private final CompletableFuture<Integer> exit;

        Handle(Process process) {
            this.process = process;
            this.exit = process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return exit;
        }

        @Override
        public void terminate() {
            // Snapshot first: once the parent dies its children are re-parented and no longer its descendants.
            process.descendants().forEach(seen::add);
            process.destroy();
            seen.forEach(ProcessHandle::destroy);
        }

        @Override
        public void kill() {
            process.descendants().forEach(seen::add);
            process.destroyForcibly();
            seen.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
