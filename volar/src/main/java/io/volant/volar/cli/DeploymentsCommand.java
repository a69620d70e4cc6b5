package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.output.Format;
import io.volant.volar.output.Table;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar deployments ...}: replicated VM groups (api-and-cli.md §5.2, control-plane.md §3). */
@Command(name = "deployments", description = "Manage deployments (replicated VMs).",
        subcommands = {DeploymentsCommand.Create.class, DeploymentsCommand.ListDeployments.class,
                DeploymentsCommand.Get.class, DeploymentsCommand.Scale.class, DeploymentsCommand.Update.class,
                DeploymentsCommand.Delete.class, RolloutCommand.class,
                PublishCommands.DeploymentExpose.class, PublishCommands.DeploymentUnexpose.class})
final class DeploymentsCommand extends Group {
    static String path(String name) {
        return "/api/v1/deployments/" + seg(name);
    }

    static String scaledLine(String name, JsonNode d) {
        return "Deployment " + name + " scaled to " + number(d, "desired_replicas") + " replicas (ready "
                + number(d, "ready_replicas") + ")";
    }

    @Command(name = "create", description = "Create a deployment from a VM config file.")
    static final class Create extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = "--config", paramLabel = "<file>", description = "VM config template (JSON or YAML)")
        String config;
        @Option(names = "--replicas", defaultValue = "1", description = "number of replicas (default 1)")
        int replicas;
        @Mixin
        RolloutWait waitOptions;

        @Override
        public Integer call() {
            if (config == null || config.isBlank()) {
                throw usage("--config is required");
            }
            if (replicas < 0) {
                throw usage("replicas must be a non-negative integer");
            }
            ObjectNode cfg = ConfigFiles.read(json(), env().resolve(config));
            ObjectNode body = json().object().put("name", name).put("replicas", replicas);
            body.set("config", cfg);
            ApiClient api = client(LIFECYCLE);
            JsonNode d = waitOptions.await(this, api, name, api.post("/api/v1/deployments", body));
            out().println("Deployment " + name + " created with " + number(d, "desired_replicas") + " replicas");
            return 0;
        }
    }

    @Command(name = "list", description = "List deployments.")
    static final class ListDeployments extends Base {
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            JsonNode list = api.get("/api/v1/deployments");
            if (printStructured(f, list)) {
                return 0;
            }
            if (list.isEmpty()) {
                out().println("No deployments found");
                return 0;
            }
            var ports = PublishCommands.byOwner(api);
            Table t = new Table(20, 10, 10, 10, 10, 12);
            PublishCommands.row(t, ports, List.of("NAME", "DESIRED", "READY", "UPDATED", "REVISION", "STATUS"), "PORTS");
            list.forEach(d -> PublishCommands.row(t, ports, List.of(text(d, "name"), number(d, "desired_replicas"),
                    number(d, "ready_replicas"), number(d, "updated_replicas"), number(d, "revision"), text(d, "status")),
                    ports.getOrDefault("deployment " + text(d, "name"), "")));
            t.lines().forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "get", description = "Show a deployment as JSON.")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = {"-o", "--output"}, paramLabel = "<format|file>",
                description = "json (default) or yaml; any other value is a file to write")
        String output;
        @Option(names = "--output-file", paramLabel = "<file>", description = "write the JSON to this file")
        String outputFile;

        @Override
        public Integer call() {
            Optional<Format> f = output == null ? Optional.of(Format.JSON) : Format.named(output);
            ApiClient api = client(READ);
            JsonNode d = PublishCommands.withPublished(api, "deployments", name, api.get(path(name)));
            String file = outputFile != null ? outputFile : f.isEmpty() ? output : null;
            if (file != null) {
                VmConfigCommand.writeFile(env().resolve(file), json().pretty(d));
                return 0;
            }
            if (!printStructured(f.get(), d)) {
                out().println(json().pretty(d));
            }
            return 0;
        }
    }

    @Command(name = "scale", description = "Change a deployment's replica count.")
    static final class Scale extends Base {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;
        @Parameters(index = "1", paramLabel = "<replicas>")
        String replicas;
        @Mixin
        RolloutWait waitOptions;

        @Override
        public Integer call() {
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
            out().println(scaledLine(name, d));
            return 0;
        }
    }

    /** EXTENSION 1 (api-and-cli.md §6): rolling update of the config template. */
    @Command(name = "update", description = "Roll a new config out to a deployment.")
    static final class Update extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = "--config", paramLabel = "<file>", description = "new VM config template")
        String config;
        @Option(names = "--replicas", description = "new replica count")
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
        RolloutWait waitOptions;

        @Override
        public Integer call() {
            if (config == null || config.isBlank()) {
                throw usage("--config is required");
            }
            ObjectNode body = json().object();
            body.set("config", ConfigFiles.read(json(), env().resolve(config)));
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
            out().println("Deployment " + name + " updated (" + number(d, "ready_replicas") + "/"
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

    @Command(name = "delete", description = "Delete a deployment and its VMs.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            client(LIFECYCLE).delete(path(name));
            out().println("Deployment " + name + " deleted");
            return 0;
        }
    }
}
