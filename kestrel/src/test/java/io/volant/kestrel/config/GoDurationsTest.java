package io.volant.kestrel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationsTest {
    @ParameterizedTest(name = "{0} ms is shown as {1}")
    @CsvSource({
            "0, 0s",
            "499, 0s",
            "500, 1s",
            "42000, 42s",
            "59499, 59s",
            "59500, 1m0s",
            "65000, 1m5s",
            "90500, 1m31s",
            "180000, 3m0s",
            "3599000, 59m59s",
            "3600000, 1h0m0s",
            "7205000, 2h0m5s",
            "90061000, 25h1m1s",
    })
    void uptime_is_rounded_to_whole_seconds_in_go_notation(long millis, String expected) {
        assertThat(GoDurations.formatWholeSeconds(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} parses to {1} ms")
    @CsvSource({
            "45s, 45000",
            "2m, 120000",
            "1h30m, 5400000",
            "1.5s, 1500",
            "300ms, 300",
            "0, 0",
            "2500, 2500",
            "' 10s ', 10000",
            "1m30.5s, 90500",
    })
    void default_timeout_accepts_go_durations_and_integer_milliseconds(String text, long millis) {
        assertThat(GoDurations.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource({"abc", "5x", "s", "1.2.3s", "10 s", "''"})
    void garbage_durations_are_rejected(String text) {
        assertThat(GoDurations.parse(text)).isEmpty();
    }
}
