package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volar nodes list} against a real single-host volantd (docs/cluster.md). */
class NodesCommandTest {
    @TempDir
    Path dir;

    @Test
    void nodes_list_prints_the_local_node_as_a_table_and_as_json() throws Exception {
        RealVolantd volantd = new RealVolantd(dir, Map.of());
        try {
            Cli cli = new Cli().api(volantd.base()).cwd(dir);

            Cli.Result table = cli.run("nodes", "list");
            assertThat(table.exit()).as(table.err()).isZero();
            List<String> lines = table.outLines();
            assertThat(lines).hasSize(2);
            assertThat(lines.getFirst()).startsWith("NAME").contains("URL", "STATE", "CPUS", "MEMORY", "FREE", "SUBNET", "REPLICAS",
                    "LABELS");
            assertThat(lines.get(1)).startsWith("local ").contains(" ready ", " 253 ", " MiB ", " 192.168.127.0/24 ").endsWith(" -");

            Cli.Result json = cli.run("nodes", "list", "-o", "json");
            JsonNode nodes = new ObjectMapper().readTree(json.out()).path("nodes");
            assertThat(nodes.size()).isEqualTo(1);
            assertThat(nodes.get(0).path("capacity").path("backend").asText()).isEqualTo("simulated");
            assertThat(nodes.get(0).path("schedulable").asBoolean()).isTrue();

            Cli.Result drain = cli.run("nodes", "drain", "local");
            assertThat(drain.exit()).isNotZero();
            assertThat(drain.err()).contains("a single host has no other node to move replicas to");
        } finally {
            volantd.close();
        }
    }
}
