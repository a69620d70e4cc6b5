package io.volant.volantd.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryEventBusTest {
    private static VmEvent event(String name) {
        return VmEvent.lifecycle(EventType.VM_RUNNING, name, "running", "", "", 1L, Instant.EPOCH, "vm running");
    }

    @Test
    void subscribers_receive_events_of_their_topic_in_order() throws Exception {
        InMemoryEventBus bus = new InMemoryEventBus();
        Subscription s = bus.subscribe(Topics.VM_EVENTS, 8);
        bus.publish(Topics.VM_LOGS, event("other"));
        bus.publish(Topics.VM_EVENTS, event("a"));
        bus.publish(Topics.VM_EVENTS, event("b"));
        assertThat(s.poll(Duration.ofSeconds(1)).name()).isEqualTo("a");
        assertThat(s.poll(Duration.ofSeconds(1)).name()).isEqualTo("b");
        assertThat(s.poll(Duration.ZERO)).isNull();
    }

    @Test
    void an_overflowing_subscriber_is_closed_without_blocking_the_publisher() throws Exception {
        InMemoryEventBus bus = new InMemoryEventBus();
        Subscription slow = bus.subscribe(Topics.VM_EVENTS, 2);
        Subscription fast = bus.subscribe(Topics.VM_EVENTS, 16);
        for (int i = 0; i < 5; i++) {
            bus.publish(Topics.VM_EVENTS, event("e" + i));
        }
        assertThat(slow.isClosed()).isTrue();
        assertThat(slow.overflowed()).isTrue();
        assertThat(slow.poll(Duration.ZERO).name()).isEqualTo("e0");
        int got = 0;
        while (fast.poll(Duration.ZERO) != null) {
            got++;
        }
        assertThat(got).isEqualTo(5);
        fast.close();
        bus.publish(Topics.VM_EVENTS, event("late"));
        assertThat(fast.poll(Duration.ZERO)).isNull();
    }
}
