package io.volant.volantd.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The clock-driven scheduler: tasks run when the injected clock reaches them, and a moved test clock is followed. */
class SchedulerTest {
    private final MutableClock clock = new MutableClock();
    private final Scheduler scheduler = new Scheduler(clock, "scheduler-test");
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        scheduler.close();
    }

    /** Runs an immediate task and waits for it: everything due earlier has been handed out by then. */
    private void barrier() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        scheduler.after("barrier", Duration.ZERO, done::countDown);
        done.await();
    }

    @Test
    void a_task_runs_once_the_clock_is_moved_to_its_time_and_not_before() throws Exception {
        scheduler.after("later", Duration.ofSeconds(10), () -> ran.add("later"));
        clock.advance(Duration.ofSeconds(9));
        barrier();
        assertThat(ran).isEmpty();
        assertThat(scheduler.pending("later")).isTrue();

        clock.advance(Duration.ofSeconds(1));
        await().until(() -> ran.equals(List.of("later")));
        assertThat(scheduler.pending("later")).isFalse();
    }

    @Test
    void scheduling_a_key_again_keeps_the_earlier_time_and_cancel_drops_it() throws Exception {
        scheduler.after("k", Duration.ofSeconds(30), () -> ran.add("late"));
        scheduler.after("k", Duration.ofSeconds(5), () -> ran.add("early"));
        scheduler.after("k", Duration.ofSeconds(60), () -> ran.add("later still"));
        scheduler.after("gone", Duration.ofSeconds(5), () -> ran.add("gone"));
        scheduler.cancel("gone");

        clock.advance(Duration.ofSeconds(5));
        await().until(() -> ran.contains("early"));
        clock.advance(Duration.ofSeconds(120));
        barrier();
        assertThat(ran).containsExactly("early");
    }

    @Test
    void a_failing_task_does_not_stop_the_others() throws Exception {
        scheduler.after("bad", Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("boom");
        });
        scheduler.after("good", Duration.ofSeconds(2), () -> ran.add("good"));
        clock.advance(Duration.ofSeconds(1));
        barrier();
        clock.advance(Duration.ofSeconds(1));
        await().until(() -> ran.equals(List.of("good")));
    }

    @Test
    void a_system_clock_needs_no_nudge() {
        try (Scheduler real = new Scheduler(java.time.Clock.systemUTC(), "scheduler-test-real")) {
            real.after("soon", Duration.ofMillis(50), () -> ran.add("soon"));
            await().until(() -> ran.contains("soon"));
        }
    }
}
