package io.volant.volar.cli;

import static io.volant.volar.cli.VmsCommand.vmPath;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;
import static io.volant.volar.output.Listing.col;
import static io.volant.volar.output.Listing.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.output.Format;
import io.volant.volar.output.Times;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar vms config get|set|patch|history}: the versioned per-VM configuration. */
@Command(name = "config", description = "Show or change a VM's configuration.",
        subcommands = {VmConfigCommand.Get.class, VmConfigCommand.Set.class, VmConfigCommand.Patch.class,
                VmConfigCommand.History.class})
final class VmConfigCommand extends Group {

    @Command(name = "get", description = "Print a VM's configuration (JSON unless -o yaml).")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Option(names = "--raw", description = "the versioned object (version, updated_at, config) instead of the "
                + "config alone")
        boolean raw;
        @Mixin
        OutputOption output;
        @Option(names = "--output-file", paramLabel = "<file>", description = "write the JSON to this file instead")
        String outputFile;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode versioned = client(READ).get(vmPath(name) + "/config");
            JsonNode shown = raw ? versioned : versioned.path("config");
            if (outputFile != null) {
                writeFile(env().resolve(outputFile), f == Format.YAML ? json().yaml(shown) : json().pretty(shown));
                return 0;
            }
            printObject(f, shown, name, () -> out().println(json().pretty(shown)));
            return 0;
        }
    }

    /** Replaces the whole configuration (PUT): what the file leaves out is gone afterwards (issue 17 row 19). */
    @Command(name = "set", description = "Replace a VM's configuration with a file's (members left out are removed; "
            + "see patch).")
    static final class Set extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Option(names = {"-f", "--file"}, paramLabel = "<path>",
                description = "JSON or YAML config (or {\"config\":{...}} envelope); - reads stdin")
        String file;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            return write(this, "PUT", name, file, output);
        }
    }

    /** Merges: only the members present in the file change (api-and-cli.md §5.2 Chosen). */
    @Command(name = "patch", description = "Change only the members present in a file.")
    static final class Patch extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Option(names = {"-f", "--file"}, paramLabel = "<path>",
                description = "JSON or YAML patch (or {\"config\":{...}} envelope); - reads stdin")
        String file;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            return write(this, "PATCH", name, file, output);
        }
    }

    private static int write(Base cmd, String method, String name, String file, OutputOption output) {
        Format f = cmd.format(output);
        if (file == null || file.isBlank()) {
            throw cmd.usage("--file is required");
        }
        ObjectNode body = ConfigFiles.read(cmd.json(), file, cmd.env());
        JsonNode versioned = cmd.client(Base.READ).send(method, vmPath(name) + "/config", body).json(cmd.json());
        cmd.printResult(f, versioned, name, "VM " + name + " configuration updated (version "
                + number(versioned, "version") + ")");
        return 0;
    }

    @Command(name = "history", description = "List a VM's configuration versions, newest first.")
    static final class History extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Option(names = "--limit", defaultValue = "0", paramLabel = "<n>",
                description = "at most this many entries (0 = all)")
        int limit;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            if (limit < 0) {
                throw usage("--limit must be at least 0 (got " + limit + ")");
            }
            Format f = format(output);
            JsonNode entries = client(READ).get(vmPath(name) + "/config/history" + (limit > 0 ? "?limit=" + limit : ""));
            printList(f, entries, List.of(col("VERSION", e -> number(e, "version")),
                    col("UPDATED", e -> Times.readable(text(e, "updated_at"))),
                    col("AGE", e -> Times.age(text(e, "updated_at"), env().clock().instant())),
                    col("CPU", e -> e.path("config").path("resources").path("cpu_cores").asLong()),
                    col("MEMORY", e -> e.path("config").path("resources").path("memory_mb").asLong() + " MB"),
                    wide("RUNTIME", e -> text(e.path("config"), "runtime"))),
                    "No configuration history for VM " + name, e -> String.valueOf(number(e, "version")));
            return 0;
        }
    }

    static void writeFile(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new CliException("write " + path + ": " + ConfigFiles.describe(e));
        }
    }
}
