package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.text;
import static io.volant.volar.output.Listing.col;
import static io.volant.volar.output.Listing.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.install.ManifestLoader;
import io.volant.volar.install.ManifestSource;
import io.volant.volar.output.Format;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar plugins ...}: the plugin registry (api-and-cli.md §2.5, §5.2, §5.7). */
@Command(name = "plugins", aliases = "plugin", description = "Manage plugins.")
final class PluginsCommand extends Group {

    static String path(String name) {
        return "/api/v1/plugins/" + seg(name);
    }

    @Command(name = "list", aliases = "ls", description = "List installed plugins.")
    static final class ListPlugins extends Base {
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            List<String> names = new ArrayList<>();
            api.get("/api/v1/plugins").path("plugins").forEach(n -> names.add(n.asText()));
            names.sort(String::compareTo);
            ArrayNode manifests = json().array();
            if (f == Format.NAME) {
                names.forEach(n -> manifests.addObject().put("name", n));
            } else {
                names.forEach(n -> manifests.add(api.get(path(n))));
            }
            printList(f, manifests, List.of(col("NAME", m -> text(m, "name")), col("VERSION", m -> text(m, "version")),
                    col("ENABLED", m -> m.path("enabled").asBoolean()), col("RUNTIME", m -> text(m, "runtime")),
                    wide("DESCRIPTION", m -> text(m, "description"))), "No plugins installed");
            return 0;
        }
    }

    @Command(name = "get", aliases = "show", description = "Show a plugin (its manifest with -o json|yaml).")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>", description = "plugin name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode m = client(READ).get(path(name));
            printObject(f, m, name, () -> {
                out().println("Name: " + text(m, "name"));
                out().println("Version: " + text(m, "version"));
                out().println("Enabled: " + m.path("enabled").asBoolean());
                out().println("Runtime: " + text(m, "runtime"));
                if (!text(m, "description").isEmpty()) {
                    out().println("Description: " + text(m, "description"));
                }
                JsonNode res = m.path("resources");
                if (res.isObject()) {
                    out().println("Resources: " + count(res.path("cpu_cores").asLong(), "CPU") + ", "
                            + res.path("memory_mb").asLong() + " MB");
                }
                String boot = !text(m.path("initramfs"), "url").isEmpty() ? "initramfs " + text(m.path("initramfs"), "url")
                        : !text(m.path("rootfs"), "url").isEmpty() ? "rootfs " + text(m.path("rootfs"), "url") : "";
                if (!boot.isEmpty()) {
                    out().println("Boot: " + boot);
                }
                List<String> actions = new ArrayList<>();
                m.path("actions").fieldNames().forEachRemaining(actions::add);
                if (!actions.isEmpty()) {
                    out().println("Actions: " + String.join(", ", actions));
                }
            });
            return 0;
        }
    }

    @Command(name = "manifest", description = "Print the manifest guests fetch (fails when the plugin is disabled).")
    static final class Manifest extends Base {
        @Parameters(paramLabel = "<name>", description = "plugin name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode m = client(READ).get(path(name) + "/manifest");
            printObject(f, m, name, () -> out().println(json().pretty(m)));
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
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ManifestSource source;
            try {
                source = ManifestSource.choose(positional, manifest, url, env().cwd());
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            ObjectNode m = new ManifestLoader(json(), err(), env().stderrTty(), env().env()).load(source);
            LocalValidation.check(m);
            ApiClient.Response r = client(READ).send("POST", "/api/v1/plugins", m);
            JsonNode stored = r.body().length > 0 ? r.json(json()) : m;
            if (!stored.isObject() || text(stored, "name").isEmpty()) {
                stored = m;
            }
            printResult(f, stored, text(stored, "name"), "Plugin " + text(stored, "name") + " "
                    + text(stored, "version") + " installed");
            return 0;
        }
    }

    @Command(name = "remove", aliases = {"rm", "delete"}, description = "Remove a plugin.")
    static final class Remove extends Base {
        @Parameters(paramLabel = "<name>", description = "plugin name")
        String name;
        @Mixin
        OutputOption output;
        @Mixin
        YesOption yes;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            JsonNode m = api.get(path(name));
            List<String> users = new ArrayList<>();
            api.get("/api/v1/vms?plugin=" + ApiClient.query(name)).forEach(vm -> users.add(text(vm, "name")));
            if (!users.isEmpty()) {
                err().println("warning: plugin " + name + " is in use by " + count(users.size(), "VM") + " ("
                        + String.join(", ", users.subList(0, Math.min(5, users.size())))
                        + (users.size() > 5 ? ", ..." : "") + "); they cannot be restarted or recreated without it");
            }
            confirm(yes, "Remove plugin " + name + "?");
            api.delete(path(name));
            printResult(f, m, name, "Plugin " + name + " removed");
            return 0;
        }
    }

    @Command(name = "enable", description = "Enable a plugin.")
    static final class Enable extends Base {
        @Parameters(paramLabel = "<name>", description = "plugin name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            return setEnabled(this, name, true, output);
        }
    }

    @Command(name = "disable", description = "Disable a plugin (no new VMs; running ones keep running).")
    static final class Disable extends Base {
        @Parameters(paramLabel = "<name>", description = "plugin name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            return setEnabled(this, name, false, output);
        }
    }

    private static int setEnabled(Base cmd, String name, boolean enabled, OutputOption output) {
        Format f = cmd.format(output);
        JsonNode r = cmd.client(Base.READ).post(path(name) + "/enabled", cmd.json().object().put("enabled", enabled));
        cmd.printResult(f, r, name, "Plugin " + name + (enabled ? " enabled" : " disabled"));
        return 0;
    }
}
