package io.volant.volantd.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scheduler's placement, a pure function of the cluster's state: which node runs each replica index of each
 * cluster deployment. It never moves a replica whose node is still eligible (ready, not drained, labels still
 * matching): only indices without a node, or whose node went down or was drained, are placed, each on the
 * eligible node with room that runs the fewest replicas of that deployment, then the fewest replicas in all, then
 * by name. Room: host memory against the memory of every replica assigned to the node, and free guest addresses
 * against the assigned replicas not running there yet. vCPUs are time-shared and not a limit.
 */
public final class Placement {
    private Placement() {}

    /**
     * @param assignments deployment → index → node for every index that has a node
     * @param unplaced    {@code <deployment>-<index>} of the replicas no eligible node has room for
     */
    public record Plan(Map<String, Map<Integer, String>> assignments, List<String> unplaced) {}

    /**
     * @param deployments every cluster deployment
     * @param nodes       every member with its state and whether an operator drained it
     * @param current     the assignments in the store now (deployment → index → node)
     */
    public static Plan plan(List<PlacementSpec> deployments, List<Node> nodes, Map<String, Map<Integer, String>> current) {
        Map<String, Room> rooms = new TreeMap<>();
        nodes.stream().filter(Node::eligible).forEach(n -> rooms.put(n.name(), new Room(n)));
        List<PlacementSpec> specs = deployments.stream().sorted(Comparator.comparing(PlacementSpec::name)).toList();
        Map<String, Map<Integer, String>> out = new TreeMap<>();
        for (PlacementSpec d : specs) { // keep what still stands first, so new placements see every kept replica
            Map<Integer, String> kept = new TreeMap<>();
            current.getOrDefault(d.name(), Map.of()).forEach((index, node) -> {
                Room r = rooms.get(node);
                if (index >= 1 && index <= d.replicas() && r != null && d.admits(r.node)) {
                    r.take(d, index);
                    kept.put(index, node);
                }
            });
            out.put(d.name(), kept);
        }
        List<String> unplaced = new ArrayList<>();
        for (PlacementSpec d : specs) {
            Map<Integer, String> assigned = out.get(d.name());
            for (int i = 1; i <= d.replicas(); i++) {
                if (assigned.containsKey(i)) {
                    continue;
                }
                Optional<Room> best = best(d, rooms.values());
                if (best.isEmpty()) {
                    unplaced.add(d.name() + "-" + i);
                    continue;
                }
                best.get().take(d, i);
                assigned.put(i, best.get().node.name());
            }
        }
        return new Plan(out, List.copyOf(unplaced));
    }

    private static Optional<Room> best(PlacementSpec d, java.util.Collection<Room> rooms) {
        return rooms.stream().filter(r -> d.admits(r.node) && r.fits(d))
                .min(Comparator.comparingInt((Room r) -> r.of(d.name()))
                        .thenComparingInt(r -> r.total)
                        .thenComparing(r -> r.node.name()));
    }

    /** One eligible node and what the plan has put on it so far. */
    private static final class Room {
        final Node node;
        final Map<String, Integer> perDeployment = new HashMap<>();
        int total;
        long memoryMb;
        int newAddresses;

        Room(Node node) {
            this.node = node;
        }

        int of(String deployment) {
            return perDeployment.getOrDefault(deployment, 0);
        }

        boolean fits(PlacementSpec d) {
            return memoryMb + d.memoryMb() <= node.capacity().memoryMb()
                    && newAddresses < node.capacity().freeAddresses();
        }

        void take(PlacementSpec d, int index) {
            perDeployment.merge(d.name(), 1, Integer::sum);
            total++;
            memoryMb += d.memoryMb();
            if (!node.replicas().contains(d.name() + "-" + index)) { // a running replica already holds its address
                newAddresses++;
            }
        }
    }
}
