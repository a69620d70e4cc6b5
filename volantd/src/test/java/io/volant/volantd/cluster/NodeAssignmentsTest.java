package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's assigned indices and fencing, on the in-memory twin (the clock moves; the failure knob cuts etcd off). */
class NodeAssignmentsTest {
    private static final Duration GRACE = NodeAssignments.graceFor(Duration.ofSeconds(10));
    private final MutableClock clock = new MutableClock();
    private final InMemoryClusterStore store = new InMemoryClusterStore(clock);
    private final List<String> changed = new ArrayList<>();
    private final NodeAssignments a = new NodeAssignments(store, "a", clock, GRACE, changed::add);

    private void assign(String deployment, int index, String node) {
        store.put(Scheduler.key(deployment, index), node, 0);
    }

    @Test
    void the_node_runs_exactly_the_indices_assigned_to_it_and_hears_of_changes() {
        assign("web", 1, "a");
        assign("web", 2, "b");
        assign("web", 3, "a");
        assign("api", 1, "b");
        a.refresh();
        assertThat(a.of("web", 3)).containsExactly(1, 3);
        assertThat(a.of("api", 1)).isEmpty();
        assertThat(changed).containsExactly("web");

        changed.clear();
        assign("web", 2, "a");
        store.delete(Scheduler.key("web", 1));
        a.refresh();
        assertThat(a.of("web", 3)).containsExactly(2, 3);
        assertThat(changed).containsExactly("web");

        changed.clear();
        a.refresh();
        assertThat(changed).as("no change, no pass").isEmpty();
    }

    @Test
    void cut_off_within_the_grace_the_node_keeps_its_replicas_and_past_it_stops_them() {
        assign("web", 1, "a");
        a.refresh();
        changed.clear();

        store.unreachable(true);
        clock.advance(GRACE);
        a.refresh();
        assertThat(a.fenced()).isFalse();
        assertThat(a.of("web", 1)).containsExactly(1);
        assertThat(changed).isEmpty();

        clock.advance(Duration.ofMillis(1));
        a.refresh();
        assertThat(a.fenced()).isTrue();
        assertThat(a.of("web", 1)).as("fenced: every replica stops").isEmpty();
        assertThat(changed).containsExactly("web");
    }

    @Test
    void reaching_the_store_again_lifts_the_fence_with_whatever_is_assigned_then() {
        assign("web", 1, "a");
        a.refresh();
        store.unreachable(true);
        clock.advance(GRACE.plusSeconds(1));
        a.refresh();
        assertThat(a.fenced()).isTrue();

        store.unreachable(false);
        assign("web", 1, "b"); // the leader re-placed it meanwhile
        assign("web", 2, "a");
        changed.clear();
        a.refresh();
        assertThat(a.fenced()).isFalse();
        assertThat(a.of("web", 2)).containsExactly(2);
        assertThat(changed).containsExactly("web");
    }

    @Test
    void the_grace_is_shorter_than_the_lease_so_a_node_stops_before_its_replicas_are_placed_elsewhere() {
        Duration ttl = Duration.ofSeconds(3);
        assertThat(NodeAssignments.graceFor(ttl)).isLessThan(ttl);
    }
}
