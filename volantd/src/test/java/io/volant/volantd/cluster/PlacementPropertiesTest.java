package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of {@link Placement} over random clusters: uniqueness, eligibility, capacity, spread, stability. */
class PlacementPropertiesTest {

    private static List<Node> nodes(List<Integer> states, int addresses) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            String state = states.get(i) == 0 ? Node.DOWN : Node.READY;
            Map<String, String> labels = states.get(i) == 2 ? Map.of("zone", "z1") : Map.of();
            out.add(PlacementTest.node("n" + i, state, 8192, addresses, labels, List.of()));
        }
        return out;
    }

    @Property(tries = 300)
    void every_index_has_at_most_one_eligible_node_within_capacity(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 2) Integer> states,
            @ForAll @IntRange(max = 12) int addresses, @ForAll @IntRange(max = 40) int replicas,
            @ForAll @IntRange(max = 15) int other, @ForAll @IntRange(max = 4096) int memoryMb,
            @ForAll boolean zoned, @ForAll @IntRange(max = 5) int drainedIndex) {
        Set<String> drained = Set.of("n" + drainedIndex);
        List<Node> nodes = nodes(states, addresses).stream()
                .map(n -> n.withState(n.state(), !drained.contains(n.name()))).toList();
        List<PlacementSpec> specs = List.of(
                new PlacementSpec("web", replicas, zoned ? Map.of("zone", "z1") : Map.of(), memoryMb),
                new PlacementSpec("api", other, Map.of(), 256));
        Placement.Plan p = Placement.plan(specs, nodes, Map.of());

        Map<String, Long> memory = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (PlacementSpec d : specs) {
            Map<Integer, String> byIndex = p.assignments().get(d.name());
            Set<Integer> indices = new HashSet<>(byIndex.keySet());
            for (int i = 1; i <= d.replicas(); i++) {
                assertThat(byIndex.containsKey(i)).as("placed xor unplaced")
                        .isNotEqualTo(p.unplaced().contains(d.name() + "-" + i));
                indices.remove(i);
            }
            assertThat(indices).as("no index above the replica count").isEmpty();
            byIndex.values().forEach(n -> {
                Node node = nodes.stream().filter(x -> x.name().equals(n)).findFirst().orElseThrow();
                assertThat(node.state()).isEqualTo(Node.READY);
                assertThat(drained).doesNotContain(n);
                assertThat(d.admits(node)).isTrue();
                memory.merge(n, d.memoryMb(), Long::sum);
                count.merge(n, 1, Integer::sum);
            });
        }
        memory.values().forEach(m -> assertThat(m).isLessThanOrEqualTo(8192));
        count.values().forEach(c -> assertThat(c).isLessThanOrEqualTo(addresses));
    }

    @Property(tries = 300)
    void a_deployment_placed_on_roomy_nodes_is_spread_within_one(
            @ForAll @IntRange(min = 1, max = 8) int nodeCount, @ForAll @IntRange(max = 60) int replicas,
            @ForAll @IntRange(max = 30) int before) {
        List<Node> nodes = nodes(java.util.Collections.nCopies(nodeCount, 1), 1000);
        // an earlier deployment already loads the nodes: spread of "web" stays within one regardless
        Placement.Plan first = Placement.plan(List.of(new PlacementSpec("aaa", before, Map.of(), 0)), nodes,
                Map.of());
        Placement.Plan p = Placement.plan(List.of(new PlacementSpec("aaa", before, Map.of(), 0),
                new PlacementSpec("web", replicas, Map.of(), 0)), nodes, first.assignments());
        Map<String, Integer> perNode = new HashMap<>();
        nodes.forEach(n -> perNode.put(n.name(), 0));
        p.assignments().get("web").values().forEach(n -> perNode.merge(n, 1, Integer::sum));
        int max = perNode.values().stream().max(Integer::compare).orElse(0);
        int min = perNode.values().stream().min(Integer::compare).orElse(0);
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(p.assignments().get("web")).hasSize(replicas);
    }

    @Property(tries = 200)
    void planning_again_changes_nothing(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 2) Integer> states,
            @ForAll @IntRange(max = 30) int replicas, @ForAll boolean zoned) {
        List<Node> nodes = nodes(states, 20);
        List<PlacementSpec> specs = List.of(new PlacementSpec("web", replicas, zoned ? Map.of("zone", "z1") : Map.of(), 300));
        Placement.Plan first = Placement.plan(specs, nodes, Map.of());
        assertThat(Placement.plan(specs, nodes, first.assignments())).isEqualTo(first);
    }
}
