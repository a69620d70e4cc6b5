package io.volant.kestrel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.Log;
import io.volant.kestrel.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbusStarterTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "k: ");

    private Path daemon(String body) throws Exception {
        Path d = tmp.resolve("dbus-daemon");
        Files.writeString(d, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    @Test
    void daemon_is_started_with_the_system_flags_when_its_socket_is_missing() throws Exception {
        Path socket = tmp.resolve("run/dbus/system_bus_socket");
        Path args = tmp.resolve("args");
        Path d = daemon("echo \"$@\" > '" + args + "'; touch '" + socket + "'");

        assertThat(new DbusStarter(d, socket, new ManualClock(), log).start()).isTrue();

        assertThat(Files.readString(args).strip()).isEqualTo("--system --fork --nopidfile");
    }

    @Test
    void a_daemon_that_never_creates_its_socket_is_a_warning_after_three_seconds() throws Exception {
        ManualClock clock = new ManualClock();
        Path socket = tmp.resolve("run/dbus/system_bus_socket");

        assertThat(new DbusStarter(daemon("exit 0"), socket, clock, log).start()).isFalse();

        assertThat(clock.nanos()).isGreaterThanOrEqualTo(3_000_000_000L);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("dbus socket did not appear");
    }

    @Test
    void nothing_happens_without_a_daemon() {
        assertThat(new DbusStarter(tmp.resolve("none"), tmp.resolve("sock"), new ManualClock(), log).start()).isFalse();
        assertThat(logs.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
