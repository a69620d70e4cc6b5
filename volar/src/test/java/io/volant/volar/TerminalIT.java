package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/volar} in a real terminal: a tmux pane (its own server socket, killed afterwards) running bash, keys
 * typed with {@code send-keys}, the screen read with {@code capture-pane}. Covers what only a terminal shows
 * (issue 17 rows 12, 13, 15): the confirmation prompt, the in-place progress line and Ctrl-C, and
 * {@code volar events | head -1} ending. volantd runs in this JVM (simulated backend).
 */
class TerminalIT {
    private static final Path VOLAR = Path.of("..", "bin", "volar").toAbsolutePath().normalize();
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private final String socket = "volar-term-" + ProcessHandle.current().pid();
    @TempDir
    Path dir;
    private RealVolantd volantd;

    @BeforeEach
    void start() throws Exception {
        // Replicas start but stay unready until told otherwise, so --wait keeps drawing its progress line.
        volantd = new RealVolantd(dir, Map.of("VOLANT_SIMULATED_HEALTH", "unhealthy"));
        Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
        Files.writeString(dir.resolve("w.json"), "{\"plugin\":\"caddy\"}");
        Files.writeString(dir.resolve("rc"), "PS1='$ '\nexport VOLANT_API_BASE=" + volantd.base() + "\nexport PATH="
                + VOLAR.getParent() + ":$PATH\ncd " + dir + "\n");
        tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "50", "bash --noprofile --rcfile " + dir.resolve("rc"));
        type("volar plugins install caddy.json && volar vms create t1 --plugin caddy");
        screenShows("VM t1 created");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            tmux("kill-server");
        } finally {
            volantd.close();
        }
    }

    @Test
    void a_delete_asks_on_a_terminal_and_only_yes_deletes() throws Exception {
        type("volar vms delete t1");
        screenShows("Delete VM t1 (running)? [y/N]"); // capture-pane drops trailing blanks
        type("n");
        screenShows("Error: aborted; nothing was changed");
        type("volar vms delete t1");
        await().atMost(LIMIT).until(() -> count(screen(), "Delete VM t1 (running)? [y/N]") == 2);
        type("y");
        screenShows("VM t1 deleted");
        type("volar vms delete t1 --yes; echo rc=$?");
        screenShows("rc=1");
        assertThat(screen()).contains("Error: VM t1 not found");
    }

    @Test
    void wait_progress_is_one_line_redrawn_in_place_and_ctrl_c_ends_it_cleanly() throws Exception {
        type("volar deployments create w --config w.json --replicas 2 --wait; echo rc=$?");
        screenShows("deployment w: 0/2 replicas ready");
        keys("C-c");
        screenShows("rc=130");
        List<String> lines = screen().lines().toList();
        // The progress line is terminated (the terminal echoes ^C after it): what follows starts on its own line.
        assertThat(lines).anyMatch(l -> l.matches("deployment w: 0/2 replicas ready(\\^C)?"));
        assertThat(lines).anyMatch(l -> l.equals("rc=130"));
        assertThat(count(screen(), "replicas ready")).isEqualTo(1);
    }

    @Test
    void events_piped_into_head_ends_once_head_has_its_line() throws Exception {
        type("volar events | head -1; echo done=$?");
        // head exits after the first event; volar notices at its next write and ends (exit status of the pipe: head's).
        await().atMost(LIMIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            createVm("e" + System.nanoTime());
            assertThat(screen()).contains("done=0");
        });
        assertThat(screen()).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ VM_\\w+ e\\d+");
    }

    private void createVm(String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(volantd.base()
                + "/api/v1/vms")).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name
                + "\",\"plugin\":\"caddy\"}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private void type(String line) throws Exception {
        tmux("send-keys", "-t", "t", "-l", line);
        keys("Enter");
    }

    private void keys(String key) throws Exception {
        tmux("send-keys", "-t", "t", key);
    }

    private void screenShows(String text) {
        await().atMost(LIMIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(screen())
                .contains(text));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "t");
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
