package io.volant.volar.cli;

import static io.volant.volar.client.Json.number;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.CliInterruptedException;
import io.volant.volar.client.Durations;
import io.volant.volar.output.Progress;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --wait} of the deployment commands: polls until updated == ready == desired and the rollout is
 * {@code complete}. Progress is a bar on a terminal, else one plain line per change on stderr. A failed rollout or
 * the timeout ends it with a non-zero exit and the reason.
 */
final class RolloutWait {
    static final long POLL_MS = 500;

    @Option(names = "--wait", description = "wait until every desired replica is updated and ready and the rollout is complete")
    boolean wait;
    @Option(names = "--wait-timeout", defaultValue = "10m", paramLabel = "<duration>",
            description = "give up waiting after this long (default 10m)")
    String waitTimeout;

    /** Waits when {@code --wait} was given; returns the last deployment JSON. */
    JsonNode await(Base cmd, ApiClient api, String name, JsonNode current) {
        return wait ? watch(cmd, api, name, current, timeout(cmd)) : current;
    }

    Duration timeout(Base cmd) {
        try {
            return Durations.parse(waitTimeout);
        } catch (IllegalArgumentException e) {
            throw cmd.usage("--wait-timeout: " + e.getMessage());
        }
    }

    /** One line describing the rollout, as printed while waiting and by {@code rollout status}. */
    static String describe(String name, JsonNode d) {
        long desired = number(d, "desired_replicas");
        JsonNode r = d.path("rollout");
        String msg = r.path("message").asText("");
        return "deployment " + name + " revision " + number(d, "revision") + ": " + number(d, "updated_replicas") + "/"
                + desired + " updated, " + number(d, "ready_replicas") + "/" + desired + " ready, rollout "
                + r.path("status").asText("unknown") + (r.path("paused").asBoolean() ? " (paused)" : "")
                + (msg.isEmpty() ? "" : ": " + msg);
    }

    /** Updated == ready == desired and the rollout complete (a server without rollouts: ready == desired). */
    static boolean done(JsonNode d) {
        long desired = number(d, "desired_replicas");
        long updated = d.has("updated_replicas") ? number(d, "updated_replicas") : desired;
        return updated == desired && number(d, "ready_replicas") == desired
                && d.path("rollout").path("status").asText("complete").equals("complete");
    }

    static JsonNode watch(Base cmd, ApiClient api, String name, JsonNode current, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode d = current;
        String last = "";
        boolean tty = cmd.env().stderrTty();
        try (Progress bar = new Progress(cmd.err(), tty, "deployment " + name)) {
            while (true) {
                long desired = number(d, "desired_replicas");
                String line = describe(name, d);
                if (tty) {
                    bar.update(Math.min(number(d, "updated_replicas"), number(d, "ready_replicas")), desired, "updated and ready");
                } else if (!line.equals(last)) {
                    cmd.err().println(line);
                    cmd.err().flush();
                }
                last = line;
                if (d.path("rollout").path("status").asText().equals("failed")) {
                    throw new CliException("rollout of deployment " + name + " failed: " + d.path("rollout").path("message").asText());
                }
                if (done(d)) {
                    return d;
                }
                if (System.nanoTime() >= deadline) {
                    throw new CliException("timed out after " + Durations.format(limit) + " waiting for " + line);
                }
                try {
                    cmd.env().pause().millis(POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliInterruptedException();
                }
                d = api.get(DeploymentsCommand.path(name));
            }
        }
    }
}
