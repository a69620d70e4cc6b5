package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.CliInterruptedException;
import io.volant.volar.client.Durations;
import io.volant.volar.output.Format;
import io.volant.volar.output.Progress;
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
                DeploymentsCommand.Delete.class,
                PublishCommands.DeploymentExpose.class, PublishCommands.DeploymentUnexpose.class})
final class DeploymentsCommand extends Group {
    private static final long POLL_MS = 500;

    static String path(String name) {
        return "/api/v1/deployments/" + seg(name);
    }

    static String scaledLine(String name, JsonNode d) {
        return "Deployment " + name + " scaled to " + number(d, "desired_replicas") + " replicas (ready "
                + number(d, "ready_replicas") + ")";
    }

    /** {@code --wait}: polls until every desired replica is ready, drawing progress on a terminal. */
    static final class WaitOptions {
        @Option(names = "--wait", description = "wait until ready_replicas equals the desired replicas")
        boolean wait;
        @Option(names = "--wait-timeout", defaultValue = "10m", paramLabel = "<duration>",
                description = "give up waiting after this long (default 10m)")
        String waitTimeout;

        JsonNode await(Base cmd, ApiClient api, String name, JsonNode current) {
            if (!wait) {
                return current;
            }
            Duration limit;
            try {
                limit = Durations.parse(waitTimeout);
            } catch (IllegalArgumentException e) {
                throw cmd.usage("--wait-timeout: " + e.getMessage());
            }
            long deadline = System.nanoTime() + limit.toNanos();
            JsonNode d = current;
            try (Progress bar = new Progress(cmd.err(), cmd.env().stderrTty(), "deployment " + name)) {
                while (true) {
                    long desired = number(d, "desired_replicas");
                    long ready = number(d, "ready_replicas");
                    bar.update(ready, desired, "ready");
                    if (ready == desired) {
                        return d;
                    }
                    if (System.nanoTime() >= deadline) {
                        throw new CliException("timed out after " + Durations.format(limit) + " waiting for deployment "
                                + name + ": " + ready + "/" + desired + " replicas ready");
                    }
                    try {
                        cmd.env().pause().millis(POLL_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CliInterruptedException();
                    }
                    d = api.get(path(name));
                }
            }
        }
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
        WaitOptions waitOptions;

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
            Table t = new Table(20, 10, 10);
            PublishCommands.row(t, ports, List.of("NAME", "DESIRED", "READY"), "PORTS");
            list.forEach(d -> PublishCommands.row(t, ports, List.of(text(d, "name"), number(d, "desired_replicas"),
                    number(d, "ready_replicas")), ports.getOrDefault("deployment " + text(d, "name"), "")));
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
        WaitOptions waitOptions;

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
        @Option(names = "--max-surge", description = "extra replicas allowed during the rollout")
        Integer maxSurge;
        @Option(names = "--max-unavailable", description = "replicas allowed to be unavailable during the rollout")
        Integer maxUnavailable;
        @Mixin
        WaitOptions waitOptions;

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
            if (maxSurge != null || maxUnavailable != null) {
                ObjectNode s = body.putObject("strategy");
                if (maxSurge != null) {
                    s.put("max_surge", maxSurge);
                }
                if (maxUnavailable != null) {
                    s.put("max_unavailable", maxUnavailable);
                }
            }
            ApiClient api = client(LIFECYCLE);
            JsonNode d = waitOptions.await(this, api, name, api.patch(path(name), body));
            out().println("Deployment " + name + " updated (" + number(d, "ready_replicas") + "/"
                    + number(d, "desired_replicas") + " ready)");
            return 0;
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
