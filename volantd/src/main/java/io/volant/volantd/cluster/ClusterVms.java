package io.volant.volantd.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volantd.deployment.Deployment;
import io.volant.volantd.vm.Names;
import io.volant.volantd.vm.Vm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs of the whole cluster (docs/cluster.md). Each node's heartbeat writes its VMs, as the API shows them, to
 * {@code /volant/cluster/vms/<node>} under its membership lease ({@link Membership}): at most once a beat, and only
 * when they changed, so the write rate is bounded by the beat; a dead node's list goes with its lease. A snapshot
 * takes this node's VMs live and the others' from etcd.
 */
public final class ClusterVms {
    static final String PREFIX = "/volant/cluster/vms/";
    private static final Logger log = LoggerFactory.getLogger(ClusterVms.class);

    private final ClusterStore store;
    private final String node;
    private final Supplier<List<Vm>> local;
    private final ObjectMapper json = new ObjectMapper();

    public ClusterVms(ClusterStore store, String node, Supplier<List<Vm>> local) {
        this.store = store;
        this.node = node;
        this.local = local;
    }

    /** Every VM of the cluster now; 503 {@code cluster store unreachable} without etcd. */
    public Snapshot snapshot() {
        Map<String, String> stored = ClusterDeployments.reach(() -> store.scan(PREFIX));
        Map<String, List<ObjectNode>> byNode = new TreeMap<>();
        stored.forEach((k, v) -> {
            String n = k.substring(PREFIX.length());
            if (!n.equals(node)) {
                byNode.put(n, parse(n, v));
            }
        });
        byNode.put(node, local.get().stream().map(vm -> (ObjectNode) json.valueToTree(vm)).toList());
        return new Snapshot(byNode);
    }

    /** This node's VMs as its heartbeat writes them. */
    String encode(List<Vm> vms) throws JsonProcessingException {
        return json.writeValueAsString(vms);
    }

    private List<ObjectNode> parse(String n, String v) {
        try {
            List<ObjectNode> out = new ArrayList<>();
            json.readTree(v).forEach(e -> {
                if (e instanceof ObjectNode o) {
                    out.add(o);
                }
            });
            return out;
        } catch (JsonProcessingException e) {
            log.atWarn().addKeyValue("node", n).addKeyValue("error", e.getOriginalMessage()).log("skipping unreadable VM list");
            return List.of();
        }
    }

    /** Node name → its VMs (API objects). */
    public record Snapshot(Map<String, List<ObjectNode>> byNode) {
        /** Every VM with a {@code node} member, by name. */
        public List<ObjectNode> all() {
            List<ObjectNode> out = new ArrayList<>();
            byNode.forEach((n, vms) -> vms.forEach(v -> out.add(v.deepCopy().put("node", n))));
            out.sort(Comparator.comparing(v -> v.path("name").asText()));
            return out;
        }

        /** The members {@code <deployment>-1..replicas} of a deployment on every node, by name. */
        public List<Deployment.Member> members(String deployment, int replicas) {
            List<Deployment.Member> out = new ArrayList<>();
            byNode.forEach((n, vms) -> vms.forEach(v -> {
                String name = v.path("name").asText();
                int index = Names.replicaIndex(deployment, name);
                if (deployment.equals(v.path("deployment").asText()) && index >= 1 && index <= replicas) {
                    JsonNode ip = v.path("ip_address");
                    out.add(new Deployment.Member(name, n, v.path("status").asText(), ip.isNull() ? null : ip.asText()));
                }
            }));
            out.sort(Comparator.comparingInt(m -> Names.replicaIndex(deployment, m.name())));
            return out;
        }
    }
}
