package io.volant.manifest.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff ONE_TO_SIXTY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void delay_starts_at_the_base_and_doubles_to_the_cap() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(ONE_TO_SIXTY::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
    }

    @Test
    void no_failure_yet_waits_the_base() {
        assertThat(ONE_TO_SIXTY.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ONE_TO_SIXTY.delay(-3)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retries_double_per_failure_and_reset_to_the_base() {
        Backoff.Retries r = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).retries();
        assertThat(java.util.List.of(r.next(), r.next(), r.next(), r.next())).extracting(Duration::toMillis)
                .containsExactly(200L, 400L, 800L, 1000L);
        r.reset();
        assertThat(r.next()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void retries_stay_at_the_cap_however_long_they_fail() {
        Backoff.Retries r = ONE_TO_SIXTY.retries();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 10_000; i++) {
            last = r.next();
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void a_zero_base_or_a_cap_below_it_is_refused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base=PT0S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap=PT1S");
    }

    @Property
    void delay_is_between_base_and_cap_and_never_shrinks(@ForAll @LongRange(min = 1, max = 100_000) long baseMs,
            @ForAll @LongRange(min = 0, max = 10_000_000) long extraMs, @ForAll @IntRange(min = -5, max = 200) int n) {
        Backoff b = new Backoff(Duration.ofMillis(baseMs), Duration.ofMillis(baseMs + extraMs));
        assertThat(b.delay(n)).isBetween(b.base(), b.cap());
        assertThat(b.delay(n + 1)).isGreaterThanOrEqualTo(b.delay(n));
    }
}
