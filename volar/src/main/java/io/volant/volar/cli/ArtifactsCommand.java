package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;
import static io.volant.volar.output.Listing.col;
import static io.volant.volar.output.Listing.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.output.Format;
import io.volant.volar.output.Times;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar plugins artifacts ...}: artifact metadata records (api-and-cli.md §2.6). */
@Command(name = "artifacts", description = "Manage a plugin's artifact records (metadata only; nothing is "
        + "downloaded).",
        subcommands = {ArtifactsCommand.ListArtifacts.class, ArtifactsCommand.Get.class, ArtifactsCommand.Add.class,
                ArtifactsCommand.Delete.class})
final class ArtifactsCommand extends Group {
    static final List<String> KINDS = List.of("kernel", "initramfs", "rootfs", "disk", "image", "other");

    static String path(String plugin) {
        return PluginsCommand.path(plugin) + "/artifacts";
    }

    @Command(name = "list", aliases = "ls", description = "List artifact records.")
    static final class ListArtifacts extends Base {
        @Parameters(paramLabel = "<plugin>", description = "plugin name")
        String plugin;
        @Option(names = "--version", paramLabel = "<version>", description = "only this version")
        String version;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode list = client(READ).get(path(plugin)
                    + (version == null ? "" : "?version=" + ApiClient.query(version)));
            printList(f, list, List.of(col("VERSION", a -> text(a, "version")),
                    col("ARTIFACT", a -> text(a, "artifact_name")), col("KIND", a -> text(a, "kind")),
                    col("FORMAT", a -> text(a, "format")), col("SIZE", a -> number(a, "size_bytes")),
                    col("SOURCE", a -> text(a, "source_url").isEmpty() ? text(a, "local_path") : text(a, "source_url")),
                    wide("CHECKSUM", a -> text(a, "checksum")),
                    col("AGE", a -> Times.age(text(a, "updated_at"), env().clock().instant()))),
                    "No artifacts found", a -> text(a, "artifact_name"));
            return 0;
        }
    }

    @Command(name = "get", aliases = "show", description = "Show one artifact record.")
    static final class Get extends Base {
        @Parameters(index = "0", paramLabel = "<plugin>", description = "plugin name")
        String plugin;
        @Parameters(index = "1", paramLabel = "<artifact>", description = "artifact name")
        String artifact;
        @Option(names = "--version", required = true, paramLabel = "<version>", description = "artifact version")
        String version;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode a = client(READ).get(path(plugin) + "/" + seg(artifact) + "?version=" + ApiClient.query(version));
            printObject(f, a, artifact, () -> out().println(json().pretty(a)));
            return 0;
        }
    }

    @Command(name = "add", description = "Record an artifact of an installed plugin.")
    static final class Add extends Base {
        @Parameters(index = "0", paramLabel = "<plugin>", description = "plugin name (must be installed)")
        String plugin;
        @Parameters(index = "1", paramLabel = "<artifact>", description = "artifact name")
        String artifact;
        @Option(names = "--version", required = true, paramLabel = "<version>", description = "artifact version")
        String version;
        @Option(names = "--kind", paramLabel = "<kind>",
                description = "kernel, initramfs, rootfs, disk, image or other")
        String kind;
        @Option(names = "--source-url", paramLabel = "<url>", description = "where the artifact can be fetched")
        String sourceUrl;
        @Option(names = "--checksum", paramLabel = "<sha256:hex>", description = "checksum of the artifact")
        String checksum;
        @Option(names = "--format", paramLabel = "<format>", description = "file format, e.g. raw, qcow2, cpio")
        String artifactFormat;
        @Option(names = "--local-path", paramLabel = "<path>", description = "path on the volantd host")
        String localPath;
        @Option(names = "--size-bytes", paramLabel = "<n>", description = "size in bytes")
        Long size;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            if (kind != null && !KINDS.contains(kind.trim().toLowerCase(Locale.ROOT))) {
                throw usage("invalid --kind \"" + kind + "\" (expected " + String.join(", ", KINDS) + ")");
            }
            if (size != null && size < 0) {
                throw usage("--size-bytes must be at least 0 (got " + size + ")");
            }
            ApiClient api = client(READ);
            api.get(PluginsCommand.path(plugin)); // 404 "plugin <p> not found" instead of an orphan record
            ObjectNode body = json().object().put("version", version).put("artifact_name", artifact);
            put(body, "kind", kind == null ? null : kind.trim().toLowerCase(Locale.ROOT));
            put(body, "source_url", sourceUrl);
            put(body, "checksum", checksum);
            put(body, "format", artifactFormat);
            put(body, "local_path", localPath);
            if (size != null) {
                body.put("size_bytes", size);
            }
            api.send("POST", path(plugin), body);
            printResult(f, body, artifact, "Artifact " + artifact + " " + version + " recorded for plugin " + plugin);
            return 0;
        }

        private static void put(ObjectNode n, String k, String v) {
            if (v != null) {
                n.put(k, v);
            }
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete artifact records (one version, or all).")
    static final class Delete extends Base {
        @Parameters(paramLabel = "<plugin>", description = "plugin name")
        String plugin;
        @Option(names = "--version", paramLabel = "<version>", description = "only this version (default: all)")
        String version;
        @Mixin
        OutputOption output;
        @Mixin
        YesOption yes;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            String query = version == null ? "" : "?version=" + ApiClient.query(version);
            JsonNode matching = api.get(path(plugin) + query);
            String what = "artifacts of plugin " + plugin + (version == null ? "" : " version " + version);
            if (matching.isEmpty()) {
                throw new CliException("no " + what + "; nothing deleted");
            }
            confirm(yes, "Delete " + count(matching.size(), "artifact record") + " (" + what + ")?");
            api.delete(path(plugin) + query);
            printObject(f, matching, plugin, () -> out().println("Deleted " + count(matching.size(),
                    "artifact record") + " (" + what + ")"));
            return 0;
        }
    }
}
