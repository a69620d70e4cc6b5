package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.config.ClusterSettings;
import io.volant.volantd.errors.UnavailableException;
import io.volant.volantd.testing.MutableClock;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MembershipTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private final MutableClock clock = new MutableClock();
    private final InMemoryClusterStore store = new InMemoryClusterStore(clock);
    private final List<Vm> vmsOfA = new ArrayList<>();

    private Membership member(String name, List<Vm> vms) {
        ClusterSettings s = new ClusterSettings(List.of("http://127.0.0.1:2379"), name, "http://" + name + ":7777", TTL,
                Map.of("zone", name), ClusterSettings.DEFAULT_GUEST_RANGE);
        return new Membership(store, new LocalNode(s, s.nodeUrl(), "simulated", () -> List.copyOf(vms), 253, "10.210.0.0/24"), TTL);
    }

    private static Map<String, String> states(List<Node> nodes) {
        return nodes.stream().collect(java.util.stream.Collectors.toMap(Node::name, Node::state));
    }

    @Test
    void registered_nodes_are_listed_ready_with_capacity_labels_and_running_replicas() {
        vmsOfA.add(vm("web-1", "web", VmStatus.RUNNING));
        vmsOfA.add(vm("web-2", "web", VmStatus.STOPPED));
        vmsOfA.add(vm("solo", null, VmStatus.RUNNING));
        Membership a = member("a", vmsOfA);
        Membership b = member("b", List.of());

        assertThat(a.tick()).isTrue();
        assertThat(b.tick()).isTrue();

        List<Node> nodes = b.nodes();
        assertThat(states(nodes)).isEqualTo(Map.of("a", "ready", "b", "ready"));
        Node na = nodes.getFirst();
        assertThat(na.url()).isEqualTo("http://a:7777");
        assertThat(na.labels()).isEqualTo(Map.of("zone", "a"));
        assertThat(na.replicas()).containsExactly("web-1");
        assertThat(na.capacity().freeAddresses()).isEqualTo(250);
        assertThat(na.capacity().backend()).isEqualTo("simulated");
        assertThat(na.capacity().cpus()).isPositive();
    }

    @Test
    void a_node_that_stops_beating_turns_down_after_its_ttl_and_ready_again_when_it_beats() {
        Membership a = member("a", List.of());
        Membership b = member("b", List.of());
        a.tick();
        b.tick();

        clock.advance(Duration.ofSeconds(6));
        b.tick(); // only b keeps beating
        assertThat(states(b.nodes())).containsEntry("a", "ready");
        clock.advance(Duration.ofSeconds(5));
        b.tick();
        assertThat(states(b.nodes())).isEqualTo(Map.of("a", "down", "b", "ready"));

        assertThat(a.tick()).as("a lost its lease and registers under a new one").isTrue();
        assertThat(states(b.nodes())).isEqualTo(Map.of("a", "ready", "b", "ready"));
    }

    @Test
    void an_unreachable_store_fails_the_beat_without_throwing_and_the_next_beat_recovers() {
        Membership a = member("a", List.of());
        a.tick();
        store.unreachable(true);
        assertThat(a.tick()).isFalse();
        assertThatThrownBy(a::nodes).isInstanceOf(UnavailableException.class).hasMessageContaining("cluster store unreachable");

        clock.advance(Duration.ofSeconds(30)); // the outage outlived the lease
        store.unreachable(false);
        assertThat(a.tick()).isTrue();
        assertThat(states(a.nodes())).isEqualTo(Map.of("a", "ready"));
    }

    @Test
    void a_second_node_with_a_live_nodes_name_waits_without_overwriting_it_until_that_lease_expires() {
        Membership first = member("a", List.of());
        ClusterSettings s = new ClusterSettings(List.of("http://127.0.0.1:2379"), "a", "http://other:7777", TTL, Map.of(),
                ClusterSettings.DEFAULT_GUEST_RANGE);
        Membership second = new Membership(store, new LocalNode(s, s.nodeUrl(), "qemu", List::of, 253, "10.210.0.0/24"), TTL);
        assertThat(first.tick()).isTrue();

        assertThat(second.tick()).isFalse();
        assertThat(first.nodes()).singleElement().satisfies(n -> assertThat(n.url()).isEqualTo("http://a:7777"));
        second.close(); // leaving must not deregister the name it never held
        assertThat(states(first.nodes())).isEqualTo(Map.of("a", "ready"));

        Membership third = new Membership(store, new LocalNode(s, s.nodeUrl(), "qemu", List::of, 253, "10.210.0.0/24"), TTL);
        clock.advance(TTL); // the first holder stopped beating (killed)
        assertThat(third.tick()).isTrue();
        assertThat(third.nodes()).singleElement().satisfies(n -> {
            assertThat(n.url()).isEqualTo("http://other:7777");
            assertThat(n.state()).isEqualTo("ready");
        });
    }

    @Test
    void close_deregisters_and_halt_leaves_the_lease_to_expire() {
        Membership a = member("a", List.of());
        Membership b = member("b", List.of());
        Membership c = member("c", List.of());
        a.tick();
        b.tick();
        c.tick();

        a.close();
        c.halt();
        assertThat(states(b.nodes())).isEqualTo(Map.of("b", "ready", "c", "ready"));
        clock.advance(TTL);
        b.tick();
        assertThat(states(b.nodes())).isEqualTo(Map.of("b", "ready", "c", "down"));
    }

    @Test
    void the_single_host_directory_is_one_ready_node_named_local() {
        LocalNode local = new LocalNode(ClusterSettings.OFF, "http://127.0.0.1:7777", "qemu",
                () -> List.of(vm("web-1", "web", VmStatus.RUNNING)), 253, "10.210.0.0/24");
        assertThat(local.nodes()).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("local");
            assertThat(n.state()).isEqualTo("ready");
            assertThat(n.replicas()).containsExactly("web-1");
            assertThat(n.capacity().freeAddresses()).isEqualTo(252);
        });
    }

    private static Vm vm(String name, String deployment, VmStatus status) {
        return new Vm(1, name, status, "caddy", null, "192.168.127.2", "02:00:00:00:00:01", 0, 1, 256, "", "",
                deployment, null, null, "running", null);
    }
}
