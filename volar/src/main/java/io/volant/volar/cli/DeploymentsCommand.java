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
import io.volant.volar.output.Listing;
import io.volant.volar.output.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code volar deployments ...}: replicated VM groups (api-and-cli.md §5.2, control-plane.md §3). New subcommands
 * plug in with one line in {@link Commands}; {@link DeploymentWait} is the shared {@code --wait}.
 */
@Command(name = "deployments", aliases = {"deployment", "deploy"}, description = "Manage deployments (replicated "
        + "VMs).")
final class DeploymentsCommand extends Group {

    static String path(String name) {
        return "/api/v1/deployments/" + seg(name);
    }

    static String scaledLine(String name, JsonNode d) {
        return "Deployment " + name + " scaled to " + Base.count(number(d, "desired_replicas"), "replica") + " (ready "
                + number(d, "ready_replicas") + ")";
    }

    @Command(name = "create", description = "Create a deployment from a VM config file.")
    static final class Create extends Base {
        @Parameters(paramLabel = "<name>", description = "deployment name (replicas are <name>-1..n)")
        String name;
        @Option(names = "--config", paramLabel = "<file>", description = "VM config template (JSON or YAML); - reads "
                + "stdin")
        String config;
        @Option(names = "--replicas", defaultValue = "1", paramLabel = "<n>", description = "number of replicas "
                + "(default 1)")
        int replicas;
        @Mixin
        DeploymentWait waitOptions;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            if (config == null || config.isBlank()) {
                throw usage("--config is required");
            }
            if (replicas < 0) {
                throw usage("replicas must be a non-negative integer");
            }
            ObjectNode cfg = ConfigFiles.read(json(), config, env());
            ObjectNode body = json().object().put("name", name).put("replicas", replicas);
            body.set("config", cfg);
            ApiClient api = client(LIFECYCLE);
            JsonNode d = waitOptions.await(this, api, name, api.post("/api/v1/deployments", body));
            printResult(f, d, name, "Deployment " + name + " created with "
                    + count(number(d, "desired_replicas"), "replica"));
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List deployments.")
    static final class ListDeployments extends Base {
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            JsonNode list = api.get("/api/v1/deployments");
            Map<String, String> ports = f.human() ? PublishCommands.byOwner(api) : Map.of();
            List<Listing.Column> columns = new ArrayList<>(List.of(col("NAME", d -> text(d, "name")),
                    col("DESIRED", d -> number(d, "desired_replicas")), col("READY", d -> number(d, "ready_replicas")),
                    wide("UP-TO-DATE", d -> number(d, "updated_replicas")), wide("REVISION", d -> number(d, "revision")),
                    wide("PLUGIN", d -> text(d.path("config"), "plugin")),
                    wide("ROLLOUT", d -> text(d.path("rollout"), "status")),
                    col("AGE", d -> Times.age(text(d, "created_at"), env().clock().instant())),
                    col("STATUS", d -> text(d, "status")))); // issue 14: Available, Progressing, Paused, Failed, …
            if (!ports.isEmpty()) {
                columns.add(col("PORTS", d -> ports.getOrDefault("deployment " + text(d, "name"), "")));
            }
            printList(f, list, columns, "No deployments found");
            return 0;
        }
    }

    @Command(name = "get", aliases = "show", description = "Show a deployment (the whole object with -o json|yaml).")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>", description = "deployment name")
        String name;
        @Mixin
        OutputOption output;
        @Option(names = "--output-file", paramLabel = "<file>", description = "write the JSON to this file instead")
        String outputFile;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            JsonNode d = PublishCommands.withPublished(api, "deployments", name, api.get(path(name)));
            if (outputFile != null) {
                VmConfigCommand.writeFile(env().resolve(outputFile), f == Format.YAML ? json().yaml(d)
                        : json().pretty(d));
                return 0;
            }
            printObject(f, d, name, () -> summary(d));
            return 0;
        }

        /** A readable summary (issue 17 row 10); the template itself is {@code -o json}'s. */
        private void summary(JsonNode d) {
            JsonNode cfg = d.path("config");
            JsonNode res = cfg.path("resources");
            out().println("Name: " + text(d, "name"));
            out().println("Replicas: " + number(d, "ready_replicas") + "/" + number(d, "desired_replicas")
                    + " ready, " + number(d, "updated_replicas") + " up to date");
            out().println("Plugin: " + text(cfg, "plugin") + (text(cfg, "runtime").isEmpty() ? ""
                    : " (runtime " + text(cfg, "runtime") + ")"));
            out().println("Resources: " + count(res.path("cpu_cores").asLong(), "CPU") + ", "
                    + res.path("memory_mb").asLong() + " MB");
            out().println("Revision: " + number(d, "revision"));
            JsonNode rollout = d.path("rollout");
            if (!text(rollout, "status").isEmpty()) {
                out().println("Rollout: " + text(rollout, "status") + (text(rollout, "message").isEmpty() ? ""
                        : " (" + text(rollout, "message") + ")"));
            }
            if (!text(d, "created_at").isEmpty()) {
                out().println("Created: " + Times.readable(text(d, "created_at")) + " ("
                        + Times.age(text(d, "created_at"), env().clock().instant()) + " ago)");
            }
            d.path("published").forEach(p -> out().println("Published: " + PublishCommands.describe(p)));
            if (d.has("members")) { // cluster mode (docs/cluster.md): where the replicas run
                java.util.Map<String, Integer> byNode = new java.util.TreeMap<>();
                d.path("members").forEach(m -> byNode.merge(text(m, "node"), 1, Integer::sum));
                out().println("Nodes: " + (byNode.isEmpty() ? "none" : String.join(", ",
                        byNode.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList())));
            }
        }
    }

    @Command(name = "scale", description = "Change a deployment's replica count.")
    static final class Scale extends Base {
        @Parameters(index = "0", paramLabel = "<name>", description = "deployment name")
        String name;
        @Parameters(index = "1", paramLabel = "<replicas>", description = "new replica count (0 or more)")
        String replicas;
        @Mixin
        DeploymentWait waitOptions;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            int n;
            try {
                n = Integer.parseInt(replicas.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw usage("replicas must be a non-negative integer");
            }
            ApiClient api = client(LIFECYCLE);
            JsonNode d = waitOptions.await(this, api, name, api.patch(path(name), json().object().put("replicas", n)));
            printResult(f, d, name, scaledLine(name, d));
            return 0;
        }
    }

    /** EXTENSION 1 (api-and-cli.md §6): rolling update of the config template. */
    @Command(name = "update", description = "Roll a new config out to a deployment.")
    static final class Update extends Base {
        @Parameters(paramLabel = "<name>", description = "deployment name")
        String name;
        @Option(names = "--config", paramLabel = "<file>", description = "new VM config template; - reads stdin")
        String config;
        @Option(names = "--replicas", paramLabel = "<n>", description = "new replica count")
        Integer replicas;
        @Option(names = "--max-surge", paramLabel = "<n|n%>", description = "extra replicas allowed during the rollout (default 1)")
        String maxSurge;
        @Option(names = "--max-unavailable", paramLabel = "<n|n%>",
                description = "replicas allowed to be unavailable during the rollout (default 0)")
        String maxUnavailable;
        @Option(names = "--progress-deadline", paramLabel = "<seconds>",
                description = "fail the rollout when it makes no progress for this long (default 600)")
        Integer progressDeadline;
        @Option(names = "--min-ready", paramLabel = "<seconds>", description = "a replica counts as available after this long ready")
        Integer minReady;
        @Option(names = "--auto-rollback", description = "return to the last complete revision when the rollout fails")
        boolean autoRollback;
        @Mixin
        DeploymentWait waitOptions;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            if (config == null || config.isBlank()) {
                throw usage("--config is required");
            }
            ObjectNode body = json().object();
            body.set("config", ConfigFiles.read(json(), config, env()));
            if (replicas != null) {
                body.put("replicas", replicas);
            }
            if (maxSurge != null || maxUnavailable != null || progressDeadline != null || minReady != null || autoRollback) {
                ObjectNode s = body.putObject("strategy");
                amount(s, "max_surge", maxSurge);
                amount(s, "max_unavailable", maxUnavailable);
                if (progressDeadline != null) {
                    s.put("progress_deadline_seconds", progressDeadline);
                }
                if (minReady != null) {
                    s.put("min_ready_seconds", minReady);
                }
                if (autoRollback) {
                    s.put("auto_rollback", true);
                }
            }
            ApiClient api = client(LIFECYCLE);
            JsonNode d = waitOptions.await(this, api, name, api.patch(path(name), body));
            printResult(f, d, name, "Deployment " + name + " updated (" + number(d, "ready_replicas") + "/"
                    + number(d, "desired_replicas") + " ready)");
            return 0;
        }

        /** An integer stays a JSON number, {@code 25%} a string; the server names a bad value. */
        private static void amount(ObjectNode s, String field, String v) {
            if (v == null) {
                return;
            }
            String t = v.trim();
            if (t.matches("[0-9]{1,9}")) {
                s.put(field, Integer.parseInt(t));
            } else {
                s.put(field, t);
            }
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a deployment and its VMs.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "<name>", description = "deployment name")
        String name;
        @Mixin
        OutputOption output;
        @Mixin
        YesOption yes;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(LIFECYCLE);
            JsonNode d = api.get(path(name));
            confirm(yes, "Delete deployment " + name + " and its " + count(number(d, "desired_replicas"), "replica")
                    + "?");
            api.delete(path(name));
            printResult(f, d, name, "Deployment " + name + " deleted");
            return 0;
        }
    }
}
