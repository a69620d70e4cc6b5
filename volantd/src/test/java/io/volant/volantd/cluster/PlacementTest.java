package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementTest {
    static Node node(String name, String state, long memoryMb, int freeAddresses, Map<String, String> labels,
                     List<String> running) {
        return new Node(name, "http://" + name, state, new Node.Capacity(2, memoryMb, freeAddresses, "simulated"), labels,
                running, "10.210.0.0/24", true);
    }

    static Node ready(String name) {
        return node(name, Node.READY, 64_000, 250, Map.of(), List.of());
    }

    private static PlacementSpec spec(String name, int replicas) {
        return new PlacementSpec(name, replicas, Map.of(), 512);
    }

    private static Map<String, Long> perNode(Map<Integer, String> byIndex) {
        return byIndex.values().stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    }

    @Test
    void thirty_replicas_spread_ten_per_node() {
        Placement.Plan p = Placement.plan(List.of(spec("web", 30)), List.of(ready("a"), ready("b"), ready("c")),
                Map.of());
        assertThat(perNode(p.assignments().get("web"))).isEqualTo(Map.of("a", 10L, "b", 10L, "c", 10L));
        assertThat(p.assignments().get("web")).containsOnlyKeys(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList());
        assertThat(p.unplaced()).isEmpty();
    }

    @Test
    void replicas_of_a_down_node_move_and_the_others_stay_where_they_are() {
        Map<Integer, String> before = Map.of(1, "a", 2, "b", 3, "c", 4, "a", 5, "b", 6, "c");
        Placement.Plan p = Placement.plan(List.of(spec("web", 6)),
                List.of(ready("a"), node("b", Node.DOWN, 64_000, 250, Map.of(), List.of()), ready("c")),
                Map.of("web", before));
        Map<Integer, String> after = p.assignments().get("web");
        assertThat(after).containsEntry(1, "a").containsEntry(3, "c").containsEntry(4, "a").containsEntry(6, "c");
        assertThat(after.get(2)).isIn("a", "c");
        assertThat(after.get(5)).isIn("a", "c");
        assertThat(perNode(after)).isEqualTo(Map.of("a", 3L, "c", 3L));
    }

    @Test
    void a_drained_node_gets_nothing_and_loses_what_it_had() {
        Node drained = ready("b").withState(Node.READY, false);
        Placement.Plan p = Placement.plan(List.of(spec("web", 4)), List.of(ready("a"), drained),
                Map.of("web", Map.of(1, "a", 2, "b")));
        assertThat(p.assignments().get("web")).isEqualTo(Map.of(1, "a", 2, "a", 3, "a", 4, "a"));
    }

    @Test
    void a_node_back_from_the_dead_takes_the_scale_up() {
        Map<Integer, String> before = Map.of(1, "a", 2, "b", 3, "a", 4, "b");
        Placement.Plan p = Placement.plan(List.of(spec("web", 6)), List.of(ready("a"), ready("b"), ready("c")),
                Map.of("web", before));
        assertThat(p.assignments().get("web")).containsAllEntriesOf(before).containsEntry(5, "c").containsEntry(6, "c");
    }

    @Test
    void scale_down_drops_the_indices_above_the_replica_count_and_a_deleted_deployment_drops_all() {
        Placement.Plan p = Placement.plan(List.of(spec("web", 2)), List.of(ready("a"), ready("b")),
                Map.of("web", Map.of(1, "a", 2, "b", 3, "a"), "gone", Map.of(1, "b")));
        assertThat(p.assignments()).isEqualTo(Map.of("web", Map.of(1, "a", 2, "b")));
    }

    @Test
    void a_node_selector_limits_placement_to_nodes_with_every_label() {
        List<Node> nodes = List.of(node("a", Node.READY, 64_000, 250, Map.of("zone", "z1", "gpu", "yes"), List.of()),
                node("b", Node.READY, 64_000, 250, Map.of("zone", "z1"), List.of()), ready("c"));
        Placement.Plan p = Placement.plan(List.of(new PlacementSpec("ml", 3, Map.of("gpu", "yes"), 512),
                new PlacementSpec("web", 4, Map.of("zone", "z1"), 512)), nodes, Map.of());
        assertThat(p.assignments().get("ml")).isEqualTo(Map.of(1, "a", 2, "a", 3, "a"));
        assertThat(perNode(p.assignments().get("web"))).isEqualTo(Map.of("a", 2L, "b", 2L));
    }

    @Test
    void a_replica_whose_node_lost_the_required_label_moves() {
        List<Node> nodes = List.of(ready("a"), node("b", Node.READY, 64_000, 250, Map.of("zone", "z1"), List.of()));
        Placement.Plan p = Placement.plan(List.of(new PlacementSpec("web", 1, Map.of("zone", "z1"), 512)), nodes,
                Map.of("web", Map.of(1, "a")));
        assertThat(p.assignments().get("web")).isEqualTo(Map.of(1, "b"));
    }

    @Test
    void memory_and_free_addresses_cap_a_node_and_what_fits_nowhere_is_reported_unplaced() {
        List<Node> nodes = List.of(node("small", Node.READY, 1024, 250, Map.of(), List.of()),
                node("few", Node.READY, 64_000, 1, Map.of(), List.of()));
        Placement.Plan p = Placement.plan(List.of(spec("web", 5)), nodes, Map.of());
        assertThat(perNode(p.assignments().get("web"))).isEqualTo(Map.of("small", 2L, "few", 1L));
        assertThat(p.unplaced()).containsExactly("web-4", "web-5");
    }

    @Test
    void a_replica_already_running_on_its_node_holds_its_address_and_needs_no_new_one() {
        Node full = node("a", Node.READY, 64_000, 0, Map.of(), List.of("web-1"));
        Placement.Plan p = Placement.plan(List.of(spec("web", 2)), List.of(full), Map.of("web", Map.of(1, "a")));
        assertThat(p.assignments().get("web")).isEqualTo(Map.of(1, "a"));
        assertThat(p.unplaced()).containsExactly("web-2");
    }

    @Test
    void the_plan_of_a_placed_cluster_is_the_same_placement() {
        List<Node> nodes = List.of(ready("a"), ready("b"), ready("c"));
        List<PlacementSpec> specs = List.of(spec("web", 7), spec("api", 5));
        Placement.Plan first = Placement.plan(specs, nodes, Map.of());
        assertThat(Placement.plan(specs, nodes, first.assignments()).assignments()).isEqualTo(first.assignments());
    }
}
