package io.volant.volar.cli;

import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;
import static io.volant.volar.output.Listing.col;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.output.Format;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code volar nodes}: the volantd nodes of a cluster (docs/cluster.md); a single host shows one, {@code local}. */
@Command(name = "nodes", description = "Show the cluster's volantd nodes; drain one.",
        subcommands = {NodesCommand.ListNodes.class, NodesCommand.Drain.class})
final class NodesCommand extends Group {

    @Command(name = "list", aliases = "ls", description = "List nodes: name, URL, state, capacity, labels, running "
            + "replicas.")
    static final class ListNodes extends Base {
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode body = client(READ).get("/api/v1/nodes");
            if (printStructured(f, body)) {
                return 0;
            }
            printList(f, body.path("nodes"), List.of(col("NAME", n -> text(n, "name")), col("URL", n -> text(n, "url")),
                    col("STATE", n -> text(n, "state") + (n.path("schedulable").asBoolean(true) ? "" : ",drained")), col("CPUS", n -> number(n.path("capacity"), "cpus")),
                    col("MEMORY", n -> number(n.path("capacity"), "memory_mb") + " MiB"),
                    col("FREE", n -> number(n.path("capacity"), "free_addresses")), col("SUBNET", n -> text(n, "subnet")),
                    col("REPLICAS", n -> n.path("replicas").size()), col("LABELS", NodesCommand::labels)),
                    "No nodes found");
            return 0;
        }
    }

    @Command(name = "drain", description = "Drain a node: the scheduler places nothing there and moves its replicas to "
            + "other nodes (--undo: make it schedulable again).")
    static final class Drain extends Base {
        @picocli.CommandLine.Parameters(paramLabel = "<node>", description = "node name")
        String node;

        @picocli.CommandLine.Option(names = "--undo", description = "make the node schedulable again")
        boolean undo;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            String path = "/api/v1/nodes/" + io.volant.volar.client.ApiClient.query(node) + "/drain";
            io.volant.volar.client.ApiClient api = client(READ);
            JsonNode r = undo ? api.send("DELETE", path, null).json(api.json()) : api.post(path, null);
            printResult(f, r, node, "Node " + node + (undo ? " is schedulable again" : " drained: its replicas move to other nodes"));
            return 0;
        }
    }

    private static String labels(JsonNode n) {
        List<String> labels = new ArrayList<>();
        n.path("labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        return labels.isEmpty() ? "-" : String.join(",", labels);
    }
}
