package io.volant.volar.cli;

import static io.volant.volar.cli.VmsCommand.vmPath;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.output.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar vms config get|set|history}: the versioned per-VM configuration. */
@Command(name = "config", description = "Show or change a VM's configuration.",
        subcommands = {VmConfigCommand.Get.class, VmConfigCommand.Set.class, VmConfigCommand.History.class})
final class VmConfigCommand extends Group {

    @Command(name = "get", description = "Print a VM's configuration as JSON.")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = "--raw", description = "print the versioned object (version, updated_at, config)")
        boolean raw;
        @Option(names = {"-o", "--output"}, paramLabel = "<format|file>",
                description = "json or yaml prints the API object; any other value is a file to write")
        String output;
        @Option(names = "--output-file", paramLabel = "<file>", description = "write the JSON to this file")
        String outputFile;

        @Override
        public Integer call() {
            Optional<Format> f = output == null ? Optional.of(Format.TABLE) : Format.named(output);
            JsonNode versioned = client(READ).get(vmPath(name) + "/config");
            if (f.isPresent() && printStructured(f.get(), versioned)) {
                return 0;
            }
            JsonNode shown = raw ? versioned : versioned.path("config");
            String file = outputFile != null ? outputFile : f.isEmpty() ? output : null;
            if (file != null) {
                writeFile(env().resolve(file), json().pretty(shown));
                return 0;
            }
            out().println(json().pretty(shown));
            return 0;
        }
    }

    /** Sends only the members present in the file (api-and-cli.md §5.2 Chosen). */
    @Command(name = "set", aliases = "patch", description = "Patch a VM's configuration from a file.")
    static final class Set extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = {"-f", "--file"}, paramLabel = "<path>", description = "JSON or YAML patch (or envelope)")
        String file;

        @Override
        public Integer call() {
            if (file == null || file.isBlank()) {
                throw usage("--file is required");
            }
            ObjectNode patch = ConfigFiles.read(json(), env().resolve(file));
            JsonNode versioned = client(READ).patch(vmPath(name) + "/config", patch);
            out().println("VM " + name + " configuration updated (version " + number(versioned, "version") + ")");
            return 0;
        }
    }

    @Command(name = "history", description = "List a VM's configuration versions, newest first.")
    static final class History extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = "--limit", defaultValue = "0", description = "at most this many entries (0 = all)")
        int limit;
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;

        @Override
        public Integer call() {
            if (limit < 0) {
                throw usage("--limit must be >= 0");
            }
            Format f = format(output);
            JsonNode entries = client(READ).get(vmPath(name) + "/config/history" + (limit > 0 ? "?limit=" + limit : ""));
            if (printStructured(f, entries)) {
                return 0;
            }
            for (JsonNode e : entries) {
                JsonNode res = e.path("config").path("resources");
                out().println("Version " + number(e, "version") + "\t" + text(e, "updated_at") + "\tCPU="
                        + res.path("cpu_cores").asLong() + "\tMemory=" + res.path("memory_mb").asLong() + " MB");
            }
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
