package io.volant.kestrel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.testing.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogBufferTest {
    private static LogEvent ev(String line) {
        return new LogEvent("stdout", line, Instant.EPOCH);
    }

    @Test
    void ring_keeps_only_the_most_recent_events() {
        LogBuffer b = new LogBuffer(3, 10);
        for (int i = 1; i <= 5; i++) {
            b.publish(ev("l" + i));
        }
        assertThat(b.snapshot()).extracting(LogEvent::line).containsExactly("l3", "l4", "l5");
    }

    @Test
    void subscriber_gets_replay_then_live_events_without_gaps_or_duplicates() throws Exception {
        LogBuffer b = new LogBuffer(10, 10);
        b.publish(ev("old"));
        try (LogBuffer.Subscription s = b.subscribe()) {
            b.publish(ev("new"));
            assertThat(s.replay()).extracting(LogEvent::line).containsExactly("old");
            assertThat(s.poll(1000).line()).isEqualTo("new");
            assertThat(s.poll(0)).isNull();
        }
    }

    @Test
    void slow_subscriber_drops_events_instead_of_blocking_the_publisher() throws Exception {
        LogBuffer b = new LogBuffer(100, 2);
        try (LogBuffer.Subscription s = b.subscribe()) {
            for (int i = 0; i < 5; i++) {
                b.publish(ev("l" + i));
            }
            assertThat(s.dropped()).isEqualTo(3);
            assertThat(s.poll(0).line()).isEqualTo("l0");
        }
        assertThat(b.snapshot()).hasSize(5);
    }

    @Test
    void closed_subscription_gets_nothing_more() throws Exception {
        LogBuffer b = new LogBuffer(10, 10);
        LogBuffer.Subscription s = b.subscribe();
        s.close();
        b.publish(ev("x"));
        assertThat(s.poll(0)).isNull();
    }

    @Test
    void pump_splits_lines_strips_newlines_and_cuts_overlong_lines() {
        LogBuffer b = new LogBuffer(10, 10);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String longLine = "x".repeat(LinePump.MAX_LINE + 10);
        byte[] input = ("one\r\ntwo\n" + longLine + "\ntail").getBytes(StandardCharsets.UTF_8);

        new LinePump(b, new ManualClock()).pump("stderr", new ByteArrayInputStream(input),
                new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(b.snapshot()).extracting(LogEvent::line)
                .containsExactly("one", "two", "x".repeat(LinePump.MAX_LINE), "x".repeat(10), "tail");
        assertThat(b.snapshot()).allMatch(e -> e.stream().equals("stderr"));
        assertThat(console.toString(StandardCharsets.UTF_8)).startsWith("one" + System.lineSeparator() + "two");
    }
}
