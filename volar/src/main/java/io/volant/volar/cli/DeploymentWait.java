package io.volant.volar.cli;

import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.CliInterruptedException;
import io.volant.volar.client.Durations;
import io.volant.volar.output.WaitPrinter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --wait}/{@code --wait-timeout} of the deployment commands: polls until every desired replica is ready,
 * showing progress through {@link WaitPrinter}; on timeout the message says which replicas are not ready and why
 * (their status, the rollout's message), issue 17 row 12.
 */
final class DeploymentWait {
    static final long POLL_MS = 500;

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
        Instant deadline = cmd.env().clock().instant().plus(limit);
        JsonNode d = current;
        try (WaitPrinter progress = new WaitPrinter(cmd.err(), cmd.env().stderrTty(), "deployment " + name,
                cmd.env().interrupts())) {
            while (true) {
                long desired = number(d, "desired_replicas");
                long ready = number(d, "ready_replicas");
                progress.update(ready + "/" + desired + " replicas ready");
                if (ready == desired) {
                    return d;
                }
                if (!cmd.env().clock().instant().isBefore(deadline)) {
                    throw new CliException("timed out after " + Durations.format(limit) + " waiting for deployment "
                            + name + ": " + ready + "/" + desired + " replicas ready" + reasons(api, name, d));
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

    /**
     * Why replicas are not ready, from the members' statuses and the rollout:
     * {@code ; web-7 starting, web-8 crashed; 2 running replicas not healthy yet; rollout: <message>}.
     */
    static String reasons(ApiClient api, String name, JsonNode deployment) {
        List<String> parts = new ArrayList<>();
        try {
            List<String> notRunning = new ArrayList<>();
            int members = 0;
            for (JsonNode vm : api.get("/api/v1/vms")) {
                if (name.equals(text(vm, "deployment"))) {
                    members++;
                    if (!text(vm, "status").equals("running")) {
                        notRunning.add(text(vm, "name") + " " + text(vm, "status"));
                    }
                }
            }
            long desired = number(deployment, "desired_replicas");
            if (members < desired) {
                parts.add(members + " of " + desired + " replicas exist");
            }
            if (!notRunning.isEmpty()) {
                parts.add(String.join(", ", notRunning));
            }
            long unhealthy = members - notRunning.size() - number(deployment, "ready_replicas");
            if (unhealthy > 0) {
                parts.add(Base.count(unhealthy, "running replica") + " not healthy yet (agent health check)");
            }
        } catch (RuntimeException e) {
            // The reason is a courtesy; the timeout itself is the error.
        }
        String rollout = text(deployment.path("rollout"), "message");
        if (!rollout.isEmpty()) {
            parts.add("rollout: " + rollout);
        }
        return parts.isEmpty() ? "" : "; " + String.join("; ", parts);
    }
}
