package io.volant.kestrel.shell;

import io.volant.kestrel.Log;
import io.volant.kestrel.time.Clock;
import io.volant.manifest.time.Backoff;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The serial-console debug shell (plugins-and-guest.md §2.12, K13): {@code volant_AGENT_SHELL} with its arguments on
 * {@code volant_AGENT_SHELL_TTY}, cwd {@code /}, respawned after 1 s (a clean exit resets the wait, an error doubles it
 * up to 10 s). The JDK cannot make the tty a controlling terminal, so when a {@code setsid} program (util-linux or
 * BusyBox) is present the shell runs under {@code setsid -c} (new session, tty as controlling terminal, same pid);
 * otherwise it runs without job control. The PTY-bridge fallback of upstream is not implemented.
 */
public final class DebugShell {
    private static final List<String> SHELL_PATH =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final List<String> command;
    private final Path tty;
    private final Map<String, String> env;
    private final Clock clock;
    private final Log log;
    private final Object lock = new Object();
    private Process current;
    private boolean stopping;
    private Thread thread;

    public DebugShell(String shell, List<String> args, Path tty, Map<String, String> agentEnv, Clock clock, Log log) {
        this(findSetsid(), shell, args, tty, agentEnv, clock, log);
    }

    /** @param setsid the {@code setsid} program to run the shell under, empty to run it directly */
    DebugShell(Optional<String> setsid, String shell, List<String> args, Path tty, Map<String, String> agentEnv,
               Clock clock, Log log) {
        List<String> cmd = new ArrayList<>();
        setsid.ifPresent(s -> cmd.addAll(List.of(s, "-c")));
        cmd.add(shell);
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
        this.tty = tty;
        this.env = shellEnv(agentEnv);
        this.clock = clock;
        this.log = log;
    }

    static Map<String, String> shellEnv(Map<String, String> agentEnv) {
        Map<String, String> env = new LinkedHashMap<>(agentEnv);
        Set<String> path = new LinkedHashSet<>();
        for (String p : agentEnv.getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty()) {
                path.add(p);
            }
        }
        path.addAll(SHELL_PATH);
        env.put("PATH", String.join(":", path));
        env.put("TERM", "linux");
        return env;
    }

    private static Optional<String> findSetsid() {
        return List.of("/usr/bin/setsid", "/bin/setsid", "/sbin/setsid", "/usr/sbin/setsid").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }

    public void start() {
        synchronized (lock) {
            if (thread == null && !stopping) {
                thread = Thread.ofPlatform().name("kestrel-debug-shell").daemon().start(this::loop);
            }
        }
    }

    private void loop() {
        Backoff.Retries backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)).retries();
        try {
            while (true) {
                Process p;
                synchronized (lock) {
                    if (stopping) {
                        return;
                    }
                    File t = tty.toFile();
                    ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"))
                            .redirectInput(ProcessBuilder.Redirect.from(t))
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(t))
                            .redirectError(ProcessBuilder.Redirect.appendTo(t));
                    pb.environment().clear();
                    pb.environment().putAll(env);
                    try {
                        p = pb.start();
                    } catch (IOException e) {
                        log.info("debug shell start failed", "command", String.join(" ", command), "tty", tty,
                                "error", e.getMessage());
                        p = null;
                    }
                    current = p;
                }
                int exit = p == null ? -1 : p.waitFor();
                if (exit == 0) {
                    backoff.reset();
                }
                Duration wait = backoff.next();
                log.info("debug shell exited", "status", exit, "respawn_in", wait.toMillis() + "ms");
                clock.sleep(wait);
            }
        } catch (InterruptedException e) {
            // stop()
        }
    }

    /** SIGTERM to the shell and its descendants, 5 s, then SIGKILL; no respawn afterwards. */
    public void stop() {
        Process p;
        synchronized (lock) {
            stopping = true;
            p = current;
            if (thread != null) {
                thread.interrupt();
            }
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
