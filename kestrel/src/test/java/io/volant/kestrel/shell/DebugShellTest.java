package io.volant.kestrel.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.Log;
import io.volant.kestrel.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug shell with a regular file standing in for the serial tty (no controlling terminal, so no setsid). */
class DebugShellTest {
    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock();
    private final Log log = new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "k: ");

    private static Duration s(long n) {
        return Duration.ofSeconds(n);
    }

    @Test
    void shell_runs_on_the_tty_with_the_ensured_path_and_term_and_respawns_after_one_second() throws Exception {
        Path tty = Files.createFile(tmp.resolve("ttyS0"));
        clock.parkAfter(3);
        DebugShell shell = new DebugShell(Optional.empty(), "/bin/sh", List.of("-c", "echo \"run $TERM $PATH $PWD\""),
                tty, Map.of("PATH", "/opt/bin"), clock, log);
        shell.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> clock.sleeps().size() == 4);
        shell.stop();

        assertThat(clock.sleeps()).containsExactly(s(1), s(1), s(1), s(1));
        assertThat(Files.readAllLines(tty)).hasSize(4).allMatch(l -> l.equals(
                "run linux /opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /"));
    }

    @Test
    void failing_shell_backs_off_doubling_up_to_ten_seconds() throws Exception {
        clock.parkAfter(5);
        Path tty = Files.createFile(tmp.resolve("tty"));
        DebugShell shell = new DebugShell(Optional.empty(), "/bin/sh", List.of("-c", "exit 2"), tty, Map.of(), clock,
                log);
        shell.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> clock.sleeps().size() == 6);
        shell.stop();

        assertThat(clock.sleeps()).containsExactly(s(1), s(2), s(4), s(8), s(10), s(10));
    }
}
