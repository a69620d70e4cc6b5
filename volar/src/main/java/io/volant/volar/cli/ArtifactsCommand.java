package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.output.Format;
import io.volant.volar.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar plugins artifacts ...}: artifact metadata records (api-and-cli.md §2.6). */
@Command(name = "artifacts", description = "Manage a plugin's artifact records.",
        subcommands = {ArtifactsCommand.ListArtifacts.class, ArtifactsCommand.Get.class, ArtifactsCommand.Add.class,
                ArtifactsCommand.Delete.class})
final class ArtifactsCommand extends Group {

    static String path(String plugin) {
        return PluginsCommand.path(plugin) + "/artifacts";
    }

    @Command(name = "list", description = "List artifact records.")
    static final class ListArtifacts extends Base {
        @Parameters(paramLabel = "<plugin>")
        String plugin;
        @Option(names = "--version", description = "only this version")
        String version;
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode list = client(READ).get(path(plugin)
                    + (version == null ? "" : "?version=" + ApiClient.query(version)));
            if (printStructured(f, list)) {
                return 0;
            }
            if (list.isEmpty()) {
                out().println("No artifacts found");
                return 0;
            }
            Table t = new Table(12, 20, 10, 10, 12).row("VERSION", "ARTIFACT", "KIND", "FORMAT", "SIZE", "SOURCE");
            list.forEach(a -> t.row(text(a, "version"), text(a, "artifact_name"), text(a, "kind"), text(a, "format"),
                    number(a, "size_bytes"), text(a, "source_url").isEmpty() ? text(a, "local_path")
                            : text(a, "source_url")));
            t.lines().forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "get", description = "Show one artifact record.")
    static final class Get extends Base {
        @Parameters(index = "0", paramLabel = "<plugin>")
        String plugin;
        @Parameters(index = "1", paramLabel = "<artifact>")
        String artifact;
        @Option(names = "--version", required = true, description = "artifact version")
        String version;
        @Option(names = {"-o", "--output"}, description = "json (default) or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode a = client(READ).get(path(plugin) + "/" + seg(artifact) + "?version=" + ApiClient.query(version));
            if (!printStructured(f, a)) {
                out().println(json().pretty(a));
            }
            return 0;
        }
    }

    @Command(name = "add", description = "Record an artifact.")
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "<plugin>")
        String plugin;
        @Parameters(index = "1", paramLabel = "<artifact>")
        String artifact;
        @Option(names = "--version", required = true)
        String version;
        @Option(names = "--kind")
        String kind;
        @Option(names = "--source-url")
        String sourceUrl;
        @Option(names = "--checksum")
        String checksum;
        @Option(names = "--format")
        String artifactFormat;
        @Option(names = "--local-path")
        String localPath;
        @Option(names = "--size-bytes")
        Long size;

        @Override
        public Integer call() {
            ObjectNode body = json().object().put("version", version).put("artifact_name", artifact);
            put(body, "kind", kind);
            put(body, "source_url", sourceUrl);
            put(body, "checksum", checksum);
            put(body, "format", artifactFormat);
            put(body, "local_path", localPath);
            if (size != null) {
                body.put("size_bytes", size);
            }
            client(READ).send("POST", path(plugin), body);
            out().println("Artifact " + artifact + " " + version + " recorded for plugin " + plugin);
            return 0;
        }

        private static void put(ObjectNode n, String k, String v) {
            if (v != null) {
                n.put(k, v);
            }
        }
    }

    @Command(name = "delete", description = "Delete artifact records (one version, or all).")
    static final class Delete extends Base {
        @Parameters(paramLabel = "<plugin>")
        String plugin;
        @Option(names = "--version", description = "only this version")
        String version;

        @Override
        public Integer call() {
            client(READ).delete(path(plugin) + (version == null ? "" : "?version=" + ApiClient.query(version)));
            out().println("Artifacts of plugin " + plugin + (version == null ? "" : " " + version) + " deleted");
            return 0;
        }
    }
}
