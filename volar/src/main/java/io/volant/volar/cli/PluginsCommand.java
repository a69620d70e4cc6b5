package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.install.ManifestLoader;
import io.volant.volar.install.ManifestSource;
import io.volant.volar.output.Format;
import io.volant.volar.output.Table;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar plugins ...}: the plugin registry (api-and-cli.md §2.5, §5.2, §5.7). */
@Command(name = "plugins", description = "Manage plugins.",
        subcommands = {PluginsCommand.ListPlugins.class, PluginsCommand.Show.class, PluginsCommand.Manifest.class,
                PluginsCommand.Install.class, PluginsCommand.Remove.class, PluginsCommand.Enable.class,
                PluginsCommand.Disable.class, ArtifactsCommand.class})
final class PluginsCommand extends Group {

    static String path(String name) {
        return "/api/v1/plugins/" + seg(name);
    }

    @Command(name = "list", description = "List installed plugins.")
    static final class ListPlugins extends Base {
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            List<String> names = new ArrayList<>();
            api.get("/api/v1/plugins").path("plugins").forEach(n -> names.add(n.asText()));
            names.sort(String::compareTo);
            ArrayNode manifests = json().mapper().createArrayNode();
            names.forEach(n -> manifests.add(api.get(path(n))));
            if (printStructured(f, manifests)) {
                return 0;
            }
            if (manifests.isEmpty()) {
                out().println("No plugins installed");
                return 0;
            }
            Table t = new Table(20, 10, 8).row("NAME", "VERSION", "ENABLED", "RUNTIME");
            manifests.forEach(m -> t.row(text(m, "name"), text(m, "version"), m.path("enabled").asBoolean(),
                    text(m, "runtime")));
            t.lines().forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "show", description = "Print a plugin's manifest.")
    static final class Show extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = {"-o", "--output"}, description = "json (default) or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode m = client(READ).get(path(name));
            if (!printStructured(f, m)) {
                out().println(json().pretty(m));
            }
            return 0;
        }
    }

    @Command(name = "manifest", description = "Print the manifest guests fetch (fails when the plugin is disabled).")
    static final class Manifest extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = {"-o", "--output"}, description = "json (default) or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode m = client(READ).get(path(name) + "/manifest");
            if (!printStructured(f, m)) {
                out().println(json().pretty(m));
            }
            return 0;
        }
    }

    @Command(name = "install", description = "Install (or upgrade) a plugin from a manifest file or URL.")
    static final class Install extends Base {
        @Parameters(arity = "0..1", paramLabel = "<manifest>", description = "manifest path or http(s) URL")
        String positional;
        @Option(names = "--manifest", paramLabel = "<path|url>", description = "manifest path or http(s) URL")
        String manifest;
        @Option(names = "--url", paramLabel = "<url>", description = "manifest URL")
        String url;

        @Override
        public Integer call() {
            ManifestSource source;
            try {
                source = ManifestSource.choose(positional, manifest, url, env().cwd());
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            ObjectNode m = new ManifestLoader(json(), err(), env().stderrTty(), env().env()).load(source);
            LocalValidation.check(m);
            ApiClient.Response r = client(READ).send("POST", "/api/v1/plugins", m);
            JsonNode stored = r.body().length > 0 ? r.json(json()) : m;
            if (!stored.isObject() || text(stored, "name").isEmpty()) {
                stored = m;
            }
            out().println("Plugin " + text(stored, "name") + " " + text(stored, "version") + " installed");
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a plugin.")
    static final class Remove extends Base {
        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            client(READ).delete(path(name));
            out().println("Plugin " + name + " removed");
            return 0;
        }
    }

    @Command(name = "enable", description = "Enable a plugin.")
    static final class Enable extends Base {
        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            client(READ).post(path(name) + "/enabled", json().object().put("enabled", true));
            out().println("Plugin " + name + " enabled");
            return 0;
        }
    }

    @Command(name = "disable", description = "Disable a plugin.")
    static final class Disable extends Base {
        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            client(READ).post(path(name) + "/enabled", json().object().put("enabled", false));
            out().println("Plugin " + name + " disabled");
            return 0;
        }
    }
}
