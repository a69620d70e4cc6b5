package io.volant.volantd.hypervisor.process;

import io.volant.volantd.hypervisor.HypervisorException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a hypervisor as a direct child in its own session (host-runtime.md §3.6 Chosen: through util-linux
 * {@code setsid}, which execs in place, so the pid is the hypervisor's), optionally inside a network namespace
 * ({@code ip netns exec}, which also execs in place), with stdout and stderr appended to {@code <L>/<name>.log}.
 */
public final class HypervisorProcess {
    private HypervisorProcess() {}

    /** A started process and a future completing with its exit status. */
    public record Started(ProcessHandle handle, CompletableFuture<Integer> exit) {
        /**
         * Tells {@code listener} the pid; when it throws, the process is killed (and waited for) and
         * {@code cleanup} run before the exception goes on, so a launch whose pid could not be recorded leaves
         * nothing running.
         */
        public void report(io.volant.volantd.hypervisor.ProcessStarted listener, Runnable cleanup) {
            try {
                listener.started(handle.pid());
            } catch (RuntimeException e) {
                handle.destroyForcibly();
                exit.join();
                cleanup.run();
                throw e;
            }
        }
    }

    /**
     * @param argv    the hypervisor argv (binary first), exactly as built by the pure argv functions
     * @param netns   network namespace name, or "" for volantd's own
     * @param logFile appended, created 0644
     */
    public static Started start(List<String> argv, String netns, Path logFile) {
        List<String> full = new ArrayList<>();
        full.add("setsid");
        if (!netns.isEmpty()) {
            full.addAll(List.of("ip", "netns", "exec", netns));
        }
        full.addAll(argv);
        try {
            Files.createDirectories(logFile.getParent());
            File log = logFile.toFile();
            Process p = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
            return new Started(p.toHandle(), exit);
        } catch (IOException e) {
            throw new HypervisorException("start " + argv.getFirst() + ": " + e.getMessage(), e);
        }
    }

    /**
     * An adopted hypervisor (control-plane.md §2.10 item 9.2): the process when {@code pid} is alive and its command
     * line contains {@code needle} (its control socket path), with a future that completes with -1 (a non-child's
     * exit status is unknown) when it exits.
     */
    public static java.util.Optional<Started> adopt(long pid, String needle) {
        if (!cmdlineContains(pid, needle)) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> new Started(h, h.onExit().thenApply(x -> -1)));
    }

    /**
     * The files under {@code runtimeDir} named {@code <name>.*} that appear in the process's argv (whole elements or
     * {@code key=value} parts of comma-separated options): the staged media and sockets an adopted instance owns.
     */
    public static List<Path> ownedFiles(long pid, Path runtimeDir, String name) {
        List<Path> out = new ArrayList<>();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String prefix = runtimeDir.resolve(name + ".").toString();
            for (String arg : new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                for (String part : arg.split(",")) {
                    String v = part.contains("=") ? part.substring(part.indexOf('=') + 1) : part;
                    if (v.startsWith(prefix) && !v.substring(prefix.length()).contains("/")) {
                        Path p = Path.of(v);
                        if (!out.contains(p)) {
                            out.add(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone: nothing to own
        }
        return out;
    }

    /** True when {@code pid} is alive and its {@code /proc/<pid>/cmdline} contains {@code needle}. */
    public static boolean cmdlineContains(long pid, String needle) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String cmd = new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
            return cmd.contains(needle);
        } catch (IOException e) {
            return false;
        }
    }
}
