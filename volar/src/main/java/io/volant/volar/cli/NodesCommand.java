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
@Command(name = "nodes", description = "Show the cluster's volantd nodes.", subcommands = NodesCommand.ListNodes.class)
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
                    col("STATE", n -> text(n, "state")), col("CPUS", n -> number(n.path("capacity"), "cpus")),
                    col("MEMORY", n -> number(n.path("capacity"), "memory_mb") + " MiB"),
                    col("FREE", n -> number(n.path("capacity"), "free_addresses")),
                    col("REPLICAS", n -> n.path("replicas").size()), col("LABELS", NodesCommand::labels)),
                    "No nodes found");
            return 0;
        }
    }

    private static String labels(JsonNode n) {
        List<String> labels = new ArrayList<>();
        n.path("labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        return labels.isEmpty() ? "-" : String.join(",", labels);
    }
}
