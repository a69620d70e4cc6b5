package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.config.ClusterSettings;
import io.volant.volantd.testing.MutableClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Election and scheduling on the in-memory twin; the clock moves leases. */
class SchedulerTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private final MutableClock clock = new MutableClock();
    private final InMemoryClusterStore store = new InMemoryClusterStore(clock);
    private final Map<String, Membership> members = new LinkedHashMap<>();
    private final Map<String, Scheduler> schedulers = new LinkedHashMap<>();

    private void join(String name) {
        ClusterSettings s = new ClusterSettings(List.of("http://127.0.0.1:2379"), name, "http://" + name + ":7777", TTL,
                Map.of(), ClusterSettings.DEFAULT_GUEST_RANGE);
        Membership m = new Membership(store, new LocalNode(s, s.nodeUrl(), "simulated", List::of, 253, "10.210.0.0/24"), TTL);
        assertThat(m.tick()).isTrue();
        members.put(name, m);
        schedulers.put(name, new Scheduler(store, name, m::lease, m::nodes));
    }

    private void deploy(String name, int replicas) {
        store.put(Scheduler.DEPLOYMENTS + name, "{\"replicas\":" + replicas
                + ",\"config\":{\"resources\":{\"cpu_cores\":1,\"memory_mb\":64}}}", 0);
    }

    /** Moves the clock past the TTL while only {@code beating} keep their leases. */
    private void outliveTtl(String... beating) {
        for (int step = 0; step < 2; step++) {
            clock.advance(TTL.dividedBy(2).plusSeconds(1));
            for (String n : beating) {
                members.get(n).tick();
            }
        }
    }

    /** Every node runs one pass (in join order); returns who led. */
    private List<String> passAll() {
        return schedulers.entrySet().stream().filter(e -> e.getValue().pass().leader()).map(Map.Entry::getKey).toList();
    }

    private Map<String, Long> perNode(String deployment) {
        return store.scan(Scheduler.ASSIGNMENTS + deployment + "/").values().stream()
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    }

    @Test
    void exactly_one_node_leads_and_its_pass_spreads_the_replicas() {
        join("a");
        join("b");
        join("c");
        deploy("web", 30);

        assertThat(passAll()).containsExactly("a");
        assertThat(perNode("web")).isEqualTo(Map.of("a", 10L, "b", 10L, "c", 10L));
        assertThat(schedulers.get("c").leader()).contains("a");
        assertThat(schedulers.get("a").pass().changes()).as("a second pass has nothing to do").isZero();
    }

    @Test
    void a_node_whose_lease_expires_loses_its_assignments_to_the_live_ones() {
        join("a");
        join("b");
        join("c");
        deploy("web", 30);
        passAll();

        outliveTtl("a", "b"); // c stops beating
        passAll();

        assertThat(perNode("web")).isEqualTo(Map.of("a", 15L, "b", 15L));
    }

    @Test
    void when_the_leader_dies_another_node_takes_over_from_the_stored_assignments() {
        join("a");
        join("b");
        join("c");
        deploy("web", 6);
        passAll();

        outliveTtl("b", "c"); // a, the leader, stops beating
        schedulers.remove("a");

        assertThat(passAll()).containsExactly("b");
        assertThat(perNode("web")).isEqualTo(Map.of("b", 3L, "c", 3L));
    }

    @Test
    void a_deposed_leader_cannot_write() {
        join("a");
        join("b");
        deploy("web", 2);
        passAll();
        Map<String, String> before = store.scan(Scheduler.ASSIGNMENTS);

        // a's lease is lost (a long pause): b is elected; a's next write must not land
        store.expire(members.get("a").lease());
        assertThat(schedulers.get("b").pass().leader()).isTrue();
        assertThat(store.commitIf(Scheduler.LEADER, "a/1", Map.of(Scheduler.key("web", 1), "a"), List.of())).isFalse();
        assertThat(schedulers.get("a").pass().leader()).isFalse();
        assertThat(store.scan(Scheduler.ASSIGNMENTS)).hasSize(2);
        assertThat(store.scan(Scheduler.ASSIGNMENTS)).isNotEqualTo(before); // b moved a's replica to itself
        assertThat(perNode("web")).isEqualTo(Map.of("b", 2L));
    }

    @Test
    void a_drained_node_is_emptied() {
        join("a");
        join("b");
        deploy("web", 4);
        passAll();
        assertThat(members.get("a").drain("b", true).schedulable()).isFalse();
        passAll();
        assertThat(perNode("web")).isEqualTo(Map.of("a", 4L));
        assertThat(members.get("b").nodes()).filteredOn(n -> n.name().equals("b")).singleElement()
                .satisfies(n -> assertThat(n.schedulable()).isFalse());

        members.get("b").drain("b", false);
        deploy("web", 6);
        passAll();
        assertThat(perNode("web")).as("an undrained node takes new placements").isEqualTo(Map.of("a", 4L, "b", 2L));
    }

    @Test
    void draining_an_unknown_node_is_a_not_found() {
        join("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> members.get("a").drain("zz", true))
                .isInstanceOf(io.volant.volantd.errors.NotFoundException.class).hasMessage("node zz not found");
    }

    @Test
    void deleting_a_deployment_removes_its_assignments() {
        join("a");
        deploy("web", 3);
        passAll();
        store.delete(Scheduler.DEPLOYMENTS + "web");
        passAll();
        assertThat(store.scan(Scheduler.ASSIGNMENTS)).isEmpty();
    }

    @Test
    void a_large_deployment_is_written_in_bounded_transactions() {
        join("a");
        deploy("web", 250);
        Scheduler s = schedulers.get("a");
        assertThat(s.pass().changes()).isEqualTo(Scheduler.MAX_OPS);
        assertThat(s.pass().changes()).isEqualTo(Scheduler.MAX_OPS);
        assertThat(s.pass().changes()).isEqualTo(50);
        assertThat(s.pass().changes()).isZero();
        assertThat(store.scan(Scheduler.ASSIGNMENTS)).hasSize(250);
    }

    @Test
    void the_running_scheduler_follows_the_watch() {
        join("a");
        try (Scheduler s = new Scheduler(store, "a", members.get("a")::lease, members.get("a")::nodes)
                .start(Duration.ofHours(1))) {
            deploy("web", 3);
            await().untilAsserted(() -> assertThat(perNode("web")).isEqualTo(Map.of("a", 3L)));
            deploy("web", 1);
            await().untilAsserted(() -> assertThat(perNode("web")).isEqualTo(Map.of("a", 1L)));
        }
    }

    @Test
    void an_unreachable_store_fails_the_pass_and_the_next_one_recovers() {
        join("a");
        deploy("web", 2);
        store.unreachable(true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> schedulers.get("a").pass())
                .isInstanceOf(ClusterStoreException.class);
        store.unreachable(false);
        assertThat(schedulers.get("a").pass().changes()).isEqualTo(2);
    }
}
