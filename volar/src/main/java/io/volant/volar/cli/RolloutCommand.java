package io.volant.volar.cli;

import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar deployments rollout ...}: status, history, undo, pause and resume of a deployment's rollout. */
@Command(name = "rollout", description = "Inspect and steer a deployment's rollout.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class})
final class RolloutCommand extends Group {

    static String path(String name, String what) {
        return DeploymentsCommand.path(name) + "/rollout" + what;
    }

    @Command(name = "status", description = "Show the rollout; with --watch, follow it until it completes or fails.")
    static final class Status extends Base {
        @Parameters(paramLabel = "<name>", description = "Deployment name")
        String name;
        @Option(names = {"-w", "--watch"}, description = "follow until complete (exit 0) or failed (exit 1)")
        boolean watch;
        @Option(names = "--watch-timeout", defaultValue = "10m", paramLabel = "<duration>", description = "--watch gives up after this long (default 10m)")
        String timeout;

        @Override
        public Integer call() {
            ApiClient api = client(READ);
            JsonNode d = api.get(path(name, ""));
            if (watch) {
                RolloutWait w = new RolloutWait();
                w.waitTimeout = timeout;
                d = RolloutWait.watch(this, api, name, d, w.timeout(this));
            }
            out().println(RolloutWait.describe(name, d));
            for (JsonNode c : d.path("conditions")) {
                out().println("  " + text(c, "type") + "=" + text(c, "status") + " " + text(c, "reason")
                        + (text(c, "message").isEmpty() ? "" : ": " + text(c, "message"))
                        + (text(c, "time").isEmpty() ? "" : " (" + text(c, "time") + ")"));
            }
            return 0;
        }
    }

    @Command(name = "history", description = "List the kept revisions (the last 10).")
    static final class History extends Base {
        @Parameters(paramLabel = "<name>", description = "Deployment name")
        String name;
        @Option(names = {"-o", "--output"}, description = "table (default) or json")
        String output;

        @Override
        public Integer call() {
            JsonNode list = client(READ).get(path(name, "/history"));
            if ("json".equals(output)) {
                out().println(json().pretty(list));
                return 0;
            }
            Table t = new Table("REVISION", "CURRENT", "REPLICAS", "CREATED", "CAUSE");
            list.forEach(r -> t.row(number(r, "revision"), r.path("current").asBoolean() ? "*" : "", number(r, "replicas"),
                    text(r, "created_at"), text(r, "cause")));
            t.lines().forEach(out()::println);
            return 0;
        }
    }

    @Command(name = "undo", description = "Go back to the previous revision (or --to-revision); replicas already at it are kept.")
    static final class Undo extends Base {
        @Parameters(paramLabel = "<name>", description = "Deployment name")
        String name;
        @Option(names = "--to-revision", paramLabel = "<n>", description = "the revision to go back to")
        Integer toRevision;
        @Mixin
        RolloutWait waitOptions;

        @Override
        public Integer call() {
            ObjectNode body = json().object();
            if (toRevision != null) {
                if (toRevision < 1) {
                    throw usage("--to-revision must be >= 1");
                }
                body.put("to_revision", toRevision);
            }
            ApiClient api = client(LIFECYCLE);
            JsonNode d = waitOptions.await(this, api, name, api.post(path(name, "/undo"), body));
            out().println("Deployment " + name + " rolled back to revision " + number(d, "revision"));
            return 0;
        }
    }

    /** Pause and resume: one POST to {@code /<verb>}, one line saying the rollout is now {@code <verb>d}. */
    abstract static class Toggle extends Base {
        @Parameters(paramLabel = "<name>", description = "Deployment name")
        String name;

        @Override
        public Integer call() {
            String verb = spec.name();
            client(LIFECYCLE).post(path(name, "/" + verb), json().object());
            out().println("Deployment " + name + " rollout " + verb + "d");
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause the rollout (healing and scaling go on).")
    static final class Pause extends Toggle {}

    @Command(name = "resume", description = "Resume a paused rollout.")
    static final class Resume extends Toggle {}
}
