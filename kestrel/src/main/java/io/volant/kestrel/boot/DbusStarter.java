package io.volant.kestrel.boot;

import io.volant.kestrel.Log;
import io.volant.kestrel.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the system D-Bus daemon when the image has one (plugins-and-guest.md §2.3 stage 2 step 3, owned by kestrel
 * in the Java architecture, §2.14): {@code dbus-daemon --system --fork --nopidfile}, then up to 3 s for its socket.
 * Every failure is a warning. The daemon forks away and is reaped by the init.
 */
public final class DbusStarter {
    static final Duration SOCKET_WAIT = Duration.ofSeconds(3);
    static final Duration POLL = Duration.ofMillis(50);

    private final Path daemon;
    private final Path socket;
    private final Clock clock;
    private final Log log;

    /** In a guest: {@code /usr/bin/dbus-daemon} and {@code /run/dbus/system_bus_socket}. */
    public DbusStarter(Path daemon, Path socket, Clock clock, Log log) {
        this.daemon = daemon;
        this.socket = socket;
        this.clock = clock;
        this.log = log;
    }

    /** @return whether the bus socket exists afterwards */
    public boolean start() {
        if (!Files.isRegularFile(daemon) || Files.exists(socket)) {
            return Files.exists(socket);
        }
        try {
            Files.createDirectories(socket.getParent());
            Process p = new ProcessBuilder(List.of(daemon.toString(), "--system", "--fork", "--nopidfile"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(SOCKET_WAIT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                log.info("dbus start failed", "daemon", daemon, "status", p.isAlive() ? "running" : p.exitValue());
            }
            long deadline = clock.nanos() + SOCKET_WAIT.toNanos();
            while (!Files.exists(socket) && clock.nanos() - deadline < 0) {
                clock.sleep(POLL);
            }
        } catch (IOException e) {
            log.info("dbus start failed", "daemon", daemon, "error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean up = Files.exists(socket);
        log.info(up ? "dbus started" : "dbus socket did not appear", "socket", socket);
        return up;
    }
}
