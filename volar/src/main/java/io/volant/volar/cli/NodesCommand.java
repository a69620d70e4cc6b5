package io.volant.volar.cli;

import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.output.Format;
import io.volant.volar.output.Table;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code volar nodes}: the volantd nodes of a cluster (docs/cluster.md); a single host shows one, {@code local}. */
@Command(name = "nodes", description = "Show the cluster's volantd nodes.", subcommands = NodesCommand.ListNodes.class)
final class NodesCommand extends Group {

    @Command(name = "list", description = "List nodes: name, URL, state, capacity, labels, running replicas.")
    static final class ListNodes extends Base {
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode body = client(READ).get("/api/v1/nodes");
            if (printStructured(f, body)) {
                return 0;
            }
            Table t = new Table(16, 28, 6, 5, 10, 6, 10, 16).row("NAME", "URL", "STATE", "CPUS", "MEMORY", "FREE",
                    "REPLICAS", "LABELS");
            body.path("nodes").forEach(n -> {
                JsonNode c = n.path("capacity");
                List<String> labels = new ArrayList<>();
                n.path("labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
                t.row(text(n, "name"), text(n, "url"), text(n, "state"), number(c, "cpus"),
                        number(c, "memory_mb") + " MiB", number(c, "free_addresses"), n.path("replicas").size(),
                        labels.isEmpty() ? "-" : String.join(",", labels));
            });
            t.lines().forEach(out()::println);
            return 0;
        }
    }
}
