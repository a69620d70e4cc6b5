package io.volant.kestrel.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.kestrel.Log;
import io.volant.kestrel.boot.Cmdline;
import io.volant.kestrel.testing.InMemoryGuestKernel;
import io.volant.kestrel.testing.InMemoryIdentityPort;
import io.volant.kestrel.testing.InMemoryNetLink;
import io.volant.kestrel.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateModeTest {
    @TempDir
    Path dir;
    private final InMemoryIdentityPort port = new InMemoryIdentityPort();
    private final InMemoryGuestKernel kernel = new InMemoryGuestKernel();
    private final InMemoryNetLink link = new InMemoryNetLink().with("lo", false).with("eth0", false);
    private final ManualClock clock = new ManualClock();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final List<String> configured = new ArrayList<>();
    private final List<String> stateAtConfigure = new ArrayList<>();
    private final List<String> prepared = new ArrayList<>();
    private TemplateMode.Configurator cold = c -> {
        stateAtConfigure.add("seeds=" + kernel.seeds.size() + " clock=" + kernel.wallClockMillis + " mac="
                + link.links.get("eth0").mac + " hostname=" + Files.readString(dir.resolve("hostname")));
        configured.add(String.join(" ", c.tokens()));
    };

    private static final byte[] SEED = new byte[64];
    static {
        for (int i = 0; i < SEED.length; i++) {
            SEED[i] = (byte) i;
        }
    }

    private static String identityLine(String hostname, String mac, String ip) {
        return new IdentityCodec().encode(new IdentityMessage.Identity(
                "console=ttyS0 ip=" + ip + "::10.0.2.1:255.255.255.0:" + hostname + ":eth0:off volant.manifest=m",
                mac, hostname, 1_765_000_000_123L, SEED)) + "\n";
    }

    /** The host's wall clock when the guest's monotonic clock reads 0 (the twins share one time line). */
    private static final long HOST_EPOCH = 1_765_000_000_000L;
    private boolean hostAnswers;
    private static final String TIME_REQUEST_1 = "{\"type\":\"time_request\",\"seq\":1}";

    private long hostNow() {
        return HOST_EPOCH + clock.nanos() / 1_000_000;
    }

    /**
     * The host answers time request {@code seq} after {@code delays[seq-1] = {upMs, downMs}}: the request takes up,
     * the host stamps its clock, the answer takes down. Requests beyond {@code delays} stay unanswered.
     */
    private void hostAnswersTime(long[]... delays) {
        hostAnswers = true;
        port.onWrite = line -> {
            if (new IdentityCodec().decode(line) instanceof IdentityMessage.TimeRequest r && r.seq() <= delays.length) {
                long[] d = delays[(int) r.seq() - 1];
                clock.advance(Duration.ofMillis(d[0]));
                String answer = new IdentityCodec().encode(new IdentityMessage.Time(r.seq(), hostNow()));
                clock.advance(Duration.ofMillis(d[1]));
                port.hostSends(answer + "\n");
            }
        };
    }

    /** What the guest wrote except its time requests. */
    private List<String> replies() {
        return port.written().stream().filter(l -> !l.contains("time_request")).toList();
    }

    private TemplateMode mode() throws Exception {
        return mode(Duration.ofSeconds(5));
    }

    private TemplateMode mode(Duration timeWait) throws Exception {
        Files.writeString(dir.resolve("hostname"), "(none)");
        if (!hostAnswers) {
            hostAnswersTime(new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        }
        return new TemplateMode(port, kernel, Optional.of(link), dir.resolve("hostname"), c -> cold.configure(c),
                () -> prepared.add("agent warmed up, kernel prepared " + kernel.prepared + "x, writes " + port.written()),
                clock, new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "kestrel: "), timeWait);
    }

    @Test
    void announces_warm_then_applies_entropy_clock_mac_hostname_before_the_cold_boot_path_and_answers_applied()
            throws Exception {
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));

        assertThat(mode().run()).isTrue();

        assertThat(port.written()).containsExactly("{\"type\":\"warm\"}", TIME_REQUEST_1,
                "{\"type\":\"time_request\",\"seq\":2}", "{\"type\":\"time_request\",\"seq\":3}",
                "{\"type\":\"applied\"}");
        assertThat(kernel.seeds).singleElement().isEqualTo(SEED);
        assertThat(kernel.wallClockMillis).isEqualTo(HOST_EPOCH);
        assertThat(link.links.get("eth0").mac).isEqualTo("52:54:00:12:34:03");
        assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("web-3");
        assertThat(stateAtConfigure).containsExactly(
                "seeds=1 clock=1765000000000 mac=52:54:00:12:34:03 hostname=web-3");
        assertThat(configured).containsExactly(
                "console=ttyS0 ip=10.0.2.13::10.0.2.1:255.255.255.0:web-3:eth0:off volant.manifest=m");
        assertThat(logs.toString()).contains("identity applied hostname=web-3 mac=52:54:00:12:34:03")
                .containsPattern("steps_ms=time:\\d+,entropy:\\d+,clock:\\d+,mac:\\d+,hostname:\\d+,configure:\\d+");
    }

    @Test
    void the_template_prepares_the_kernel_and_the_agent_before_it_announces_warm() throws Exception {
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));

        assertThat(mode().run()).isTrue();

        assertThat(prepared).containsExactly("agent warmed up, kernel prepared 1x, writes []");
        assertThat(kernel.prepared).isEqualTo(1);
        assertThat(logs.toString()).containsSubsequence("template prepared ms=", "template warm");
    }

    @Test
    void a_failing_preparation_is_logged_and_the_template_still_becomes_warm_and_applies() throws Exception {
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));
        Files.writeString(dir.resolve("hostname"), "(none)");
        hostAnswersTime(new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        TemplateMode m = new TemplateMode(port, kernel, Optional.of(link), dir.resolve("hostname"), cold,
                () -> { throw new java.io.IOException("no loopback"); }, clock,
                new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "kestrel: "));

        assertThat(m.run()).isTrue();

        assertThat(port.written()).first().isEqualTo("{\"type\":\"warm\"}");
        assertThat(logs.toString()).contains("template preparation step failed step=agent error=\"no loopback\"");
    }

    @Test
    void the_clock_is_the_answer_with_the_shortest_round_trip_plus_half_of_it_plus_the_time_since() throws Exception {
        kernel.onReseed = () -> clock.advance(Duration.ofMillis(250));
        // Asymmetric delays put Cristian's estimate off by (up - down) / 2: 400 ms for the first answer, 200 ms for
        // the third; the second has the shortest round trip and no asymmetry, so only it sets the host's time.
        hostAnswersTime(new long[] {900, 100}, new long[] {20, 20}, new long[] {500, 100});
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));

        assertThat(mode().run()).isTrue();

        assertThat(kernel.wallClockMillis).isEqualTo(hostNow());
        assertThat(logs.toString()).contains("time exchange samples=3 rtt_ms=40");
    }

    @Test
    void a_host_that_never_answers_leaves_the_identitys_time_after_a_bounded_wait() throws Exception {
        kernel.onReseed = () -> clock.advance(Duration.ofMillis(250));
        hostAnswersTime();
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));

        assertThat(mode(Duration.ofMillis(100)).run()).isTrue();

        assertThat(port.written()).containsExactly("{\"type\":\"warm\"}", TIME_REQUEST_1, "{\"type\":\"applied\"}");
        assertThat(kernel.wallClockMillis).isEqualTo(1_765_000_000_123L + 250);
        assertThat(logs.toString()).contains("time exchange unanswered, using the identity's time waited_ms=100");
    }

    @Test
    void a_host_that_stops_answering_ends_the_exchange_with_the_samples_it_gave() throws Exception {
        hostAnswersTime(new long[] {30, 30});
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));

        assertThat(mode(Duration.ofMillis(100)).run()).isTrue();

        assertThat(port.written()).containsExactly("{\"type\":\"warm\"}", TIME_REQUEST_1,
                "{\"type\":\"time_request\",\"seq\":2}", "{\"type\":\"applied\"}");
        assertThat(kernel.wallClockMillis).isEqualTo(hostNow());
        assertThat(logs.toString()).contains("time exchange samples=1 rtt_ms=60");
    }

    @Test
    void late_answers_and_bad_lines_during_the_exchange_are_skipped() throws Exception {
        hostAnswers = true;
        port.onWrite = line -> {
            if (line.equals(TIME_REQUEST_1)) {
                port.hostSends("{\"type\":\"time\",\"seq\":9,\"time_unix_ms\":5}\n") // not the awaited seq
                        .hostSends("{\"type\":\"time\",\"seq\":1,\"time_unix_ms\":-1}\n") // bad time
                        .hostSends("{\"type\":\"time\",\"seq\":1,\"time_unix_ms\":1765000009000}\n");
            }
        };
        port.hostSends(identityLine("web-3", "52:54:00:12:34:03", "10.0.2.13"));

        assertThat(mode(Duration.ofMillis(100)).run()).isTrue();

        assertThat(kernel.wallClockMillis).isEqualTo(1_765_000_009_000L);
        assertThat(logs.toString()).contains("time answer rejected error=\"time_unix_ms must be an integer of at least 1");
    }

    @Test
    void the_mac_goes_to_the_device_named_by_the_ip_token() throws Exception {
        link.with("ens4", false);
        port.hostSends(new IdentityCodec().encode(new IdentityMessage.Identity(
                "ip=10.0.2.13::10.0.2.1:255.255.255.0:web-3:ens4:off", "52:54:00:12:34:03", "web-3", 1, SEED)) + "\n");

        assertThat(mode().run()).isTrue();

        assertThat(link.links.get("ens4").mac).isEqualTo("52:54:00:12:34:03");
        assertThat(link.links.get("eth0").mac).isEqualTo("52:54:00:00:00:01");
    }

    @Test
    void warm_is_written_only_once_the_host_end_is_connected() throws Exception {
        port.hostConnected = false;
        port.hostSends(identityLine("web-1", "52:54:00:12:34:01", "10.0.2.11"));
        TemplateMode m = mode();
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return m.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(port::awaitingHost);
        assertThat(port.written()).isEmpty();
        assertThat(port.dropped()).isEmpty();
        port.connectHost();

        assertThat(run.get()).isTrue();
        assertThat(replies()).containsExactly("{\"type\":\"warm\"}", "{\"type\":\"applied\"}");
        assertThat(port.dropped()).isEmpty();
    }

    @Test
    void on_a_console_that_cannot_see_the_host_warm_is_repeated_until_the_first_line_arrives() throws Exception {
        port.hostVisible = false;
        clock.parkAfter(2); // two repeats, then the repeater waits
        TemplateMode m = mode();
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> {
            try {
                return m.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> port.written().size() == 3);
        port.hostSends(identityLine("web-8", "52:54:00:12:34:08", "10.0.2.18"));

        assertThat(run.get()).isTrue();
        assertThat(replies()).containsExactly("{\"type\":\"warm\"}", "{\"type\":\"warm\"}",
                "{\"type\":\"warm\"}", "{\"type\":\"applied\"}");
        assertThat(clock.sleeps()).containsOnly(TemplateMode.WARM_REPEAT);
    }

    @Test
    void a_bad_line_is_answered_with_failed_and_the_next_identity_still_applies() throws Exception {
        port.hostSends("{\"type\":\"identity\",\"mac\":\"nope\"}\n")
                .hostSends("x".repeat(IdentityCodec.MAX_LINE + 10) + "\n")
                .hostSends("{\"type\":\"warm\"}\n")
                .hostSends(identityLine("web-2", "52:54:00:12:34:02", "10.0.2.12"));

        assertThat(mode().run()).isTrue();

        assertThat(replies()).containsExactly("{\"type\":\"warm\"}",
                "{\"type\":\"failed\",\"error\":\"cmdline is missing or not a string\"}",
                "{\"type\":\"failed\",\"error\":\"message is 65546 bytes, limit 65536\"}",
                "{\"type\":\"applied\"}");
        assertThat(configured).hasSize(1);
    }

    @Test
    void lines_split_across_reads_and_carriage_returns_are_reassembled() throws Exception {
        String line = identityLine("web-4", "52:54:00:12:34:04", "10.0.2.14");
        port.hostSends(line.substring(0, 10)).hostSends(line.substring(10, line.length() - 1) + "\r\n");

        assertThat(mode().run()).isTrue();

        assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("web-4");
    }

    @Test
    void a_failed_reseed_stops_before_the_workload_and_is_reported_with_its_step() throws Exception {
        kernel.failReseed = true;
        port.hostSends(identityLine("web-5", "52:54:00:12:34:05", "10.0.2.15"));

        assertThat(mode().run()).isFalse();

        assertThat(replies()).containsExactly("{\"type\":\"warm\"}", "{\"type\":\"failed\",\"error\":"
                + "\"entropy: ioctl(RNDADDENTROPY) failed: Operation not permitted (errno 1)\"}");
        assertThat(kernel.wallClockMillis).isNull();
        assertThat(configured).isEmpty();
        assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("(none)");
    }

    @Test
    void a_failing_cold_boot_path_is_reported_as_the_configure_step() throws Exception {
        cold = c -> {
            throw new IllegalArgumentException("volant.manifest: not base64url");
        };
        port.hostSends(identityLine("web-6", "52:54:00:12:34:06", "10.0.2.16"));

        assertThat(mode().run()).isFalse();

        assertThat(port.written()).last()
                .isEqualTo("{\"type\":\"failed\",\"error\":\"configure: volant.manifest: not base64url\"}");
    }

    @Test
    void without_link_access_the_mac_step_fails() throws Exception {
        Files.writeString(dir.resolve("hostname"), "(none)");
        hostAnswersTime(new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        TemplateMode m = new TemplateMode(port, kernel, Optional.empty(), dir.resolve("hostname"), cold, () -> {}, clock,
                new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "kestrel: "));
        port.hostSends(identityLine("web-7", "52:54:00:12:34:07", "10.0.2.17"));

        assertThat(m.run()).isFalse();

        assertThat(port.written()).last()
                .isEqualTo("{\"type\":\"failed\",\"error\":\"mac: no way to configure links in this image\"}");
    }

    @Test
    void while_the_host_end_is_away_reads_wait_on_the_clock() throws Exception {
        InMemoryIdentityPort away = new InMemoryIdentityPort();
        away.hostConnected = false;
        clock.parkAfter(3);
        LineReader r = new LineReader(away, clock);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                r.next();
            } catch (Exception e) {
                // interrupted: the end of the test
            }
        });
        await().until(() -> clock.sleeps().size() >= 4);
        t.interrupt();
        t.join();
        assertThat(clock.sleeps()).allMatch(d -> d.equals(Duration.ofMillis(100)));
    }
}
