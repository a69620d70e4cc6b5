package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;
import static io.volant.volar.output.Listing.col;
import static io.volant.volar.output.Listing.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.ApiException;
import io.volant.volar.client.Problems;
import io.volant.volar.output.Format;
import io.volant.volar.output.Listing;
import io.volant.volar.output.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code volar vms ...}: VM lifecycle (api-and-cli.md §5.2). New subcommands plug in with one line in
 * {@link Commands}.
 */
@Command(name = "vms", aliases = "vm", description = "Manage microVMs.")
final class VmsCommand extends Group {
    static final Set<String> STATUSES = Set.of("pending", "starting", "running", "suspended", "stopped", "crashed");

    static String vmPath(String name) {
        return "/api/v1/vms/" + seg(name);
    }

    /**
     * The VM table: {@code -o wide} adds the PID and the deployment; PORTS when any port is published; NODE when the
     * VMs come from a cluster (docs/cluster.md: each has a {@code node}).
     */
    static List<Listing.Column> columns(CliEnvironment env, Map<String, String> ports, JsonNode vms) {
        List<Listing.Column> c = new ArrayList<>(List.of(col("NAME", vm -> text(vm, "name")), col("STATUS", vm -> text(vm, "status")),
                col("RUNTIME", vm -> text(vm, "runtime")), col("IP", vm -> text(vm, "ip_address")),
                col("MAC", vm -> text(vm, "mac_address")), col("CPU", vm -> number(vm, "cpu_cores")),
                col("MEM", vm -> number(vm, "memory_mb")),
                wide("PID", vm -> number(vm, "pid") > 0 ? String.valueOf(number(vm, "pid")) : ""),
                wide("DEPLOYMENT", vm -> text(vm, "deployment")),
                col("AGE", vm -> Times.age(text(vm, "created_at"), env.clock().instant()))));
        if (!ports.isEmpty()) {
            c.add(col("PORTS", vm -> ports.getOrDefault("vm " + text(vm, "name"), "")));
        }
        boolean clustered = false;
        for (JsonNode vm : vms) {
            clustered |= vm.has("node");
        }
        if (clustered) {
            c.add(2, col("NODE", vm -> text(vm, "node")));
        }
        return c;
    }

    @Command(name = "list", aliases = "ls", description = "List VMs.")
    static final class ListVms extends Base {
        @Mixin
        OutputOption output;
        @Option(names = "--status", paramLabel = "<status>[,...]",
                description = "only VMs with these statuses: pending, starting, running, suspended, stopped, crashed")
        String status;
        @Option(names = "--plugin", paramLabel = "<plugin>", description = "only VMs of this plugin")
        String plugin;
        @Option(names = "--runtime", paramLabel = "<runtime>", description = "only VMs of this runtime")
        String runtime;

        @Override
        public Integer call() {
            Format f = format(output);
            if (status != null) {
                for (String s : status.split(",")) {
                    if (!s.isBlank() && !STATUSES.contains(s.trim().toLowerCase(Locale.ROOT))) {
                        throw usage("invalid --status \"" + s.trim()
                                + "\" (expected pending, starting, running, suspended, stopped or crashed)");
                    }
                }
            }
            List<String> q = new ArrayList<>();
            addQuery(q, "status", status);
            addQuery(q, "plugin", plugin);
            addQuery(q, "runtime", runtime);
            ApiClient api = client(READ);
            JsonNode vms = api.get("/api/v1/vms" + (q.isEmpty() ? "" : "?" + String.join("&", q)));
            printList(f, vms, columns(env(), f.human() ? PublishCommands.byOwner(api) : Map.of(), vms), "No VMs found");
            return 0;
        }

        private static void addQuery(List<String> q, String key, String value) {
            if (value != null && !value.isBlank()) {
                q.add(key + "=" + ApiClient.query(value.trim()));
            }
        }
    }

    @Command(name = "get", aliases = "show", description = "Show one VM.")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            JsonNode vm = PublishCommands.withPublished(api, "vms", name, api.get(vmPath(name)));
            printObject(f, vm, name, () -> {
                out().println("Name: " + text(vm, "name"));
                out().println("Status: " + text(vm, "status"));
                out().println("Runtime: " + text(vm, "runtime"));
                out().println("IP: " + text(vm, "ip_address"));
                out().println("MAC: " + text(vm, "mac_address"));
                out().println("CPU: " + number(vm, "cpu_cores"));
                out().println("Memory: " + number(vm, "memory_mb") + " MB");
                if (number(vm, "pid") > 0) {
                    out().println("PID: " + number(vm, "pid"));
                }
                if (!text(vm, "kernel_cmdline").isEmpty()) {
                    out().println("Kernel Cmdline: " + text(vm, "kernel_cmdline"));
                }
                if (!text(vm, "serial_socket").isEmpty()) {
                    out().println("Serial Socket: " + text(vm, "serial_socket"));
                }
                if (!text(vm, "deployment").isEmpty()) {
                    out().println("Deployment: " + text(vm, "deployment"));
                }
                if (!text(vm, "created_at").isEmpty()) {
                    out().println("Created: " + Times.readable(text(vm, "created_at")) + " ("
                            + Times.age(text(vm, "created_at"), env().clock().instant()) + " ago)");
                }
                vm.path("published").forEach(p -> out().println("Published: " + PublishCommands.describe(p)));
            });
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Destroy a VM.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Mixin
        OutputOption output;
        @Mixin
        YesOption yes;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(LIFECYCLE);
            JsonNode vm = api.get(vmPath(name));
            String deployment = text(vm, "deployment");
            if (!deployment.isEmpty()) {
                err().println("warning: VM " + name + " is a replica of deployment " + deployment
                        + "; it will be recreated (scale the deployment to remove replicas)");
            }
            confirm(yes, "Delete VM " + name + " (" + text(vm, "status") + ")?");
            api.delete(vmPath(name));
            printResult(f, vm, name, "VM " + name + " deleted");
            return 0;
        }
    }

    @Command(name = "start", description = "Start a stopped VM (a suspended one is resumed, a running one left as "
            + "it is).")
    static final class Start extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(LIFECYCLE);
            JsonNode vm;
            String message;
            try {
                vm = api.post(vmPath(name) + "/start", null);
                message = "VM " + name + " started" + pid(vm);
            } catch (ApiException e) {
                // Symmetric with stop, which the server treats as idempotent (issue 17 row 17).
                if (e.status() != 409) {
                    throw e;
                }
                vm = api.get(vmPath(name));
                String s = text(vm, "status");
                if (!s.equals("running") && !s.equals("starting")) {
                    throw e;
                }
                message = "VM " + name + " is already " + s;
            }
            printResult(f, vm, name, message);
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop a VM (a suspended one loses its saved state; a stopped one is left "
            + "as it is).")
    static final class Stop extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(LIFECYCLE);
            String before = text(api.get(vmPath(name)), "status");
            JsonNode vm = api.post(vmPath(name) + "/stop", null);
            printResult(f, vm, name, before.equals("stopped") || before.equals("crashed")
                    ? "VM " + name + " is already " + before : "VM " + name + " stopped");
            return 0;
        }
    }

    /** A POST to one of the VM's lifecycle routes, answered with one line (or the VM with {@code -o}). */
    abstract static class VmAction extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name")
        String name;
        @Mixin
        OutputOption output;
        private final String route;
        private final String done;
        private final boolean showPid;

        VmAction(String route, String done, boolean showPid) {
            this.route = route;
            this.done = done;
            this.showPid = showPid;
        }

        @Override
        public Integer call() {
            Format f = format(output);
            JsonNode vm = client(LIFECYCLE).post(vmPath(name) + "/" + route, null);
            printResult(f, vm, name, "VM " + name + " " + done + (showPid ? pid(vm) : ""));
            return 0;
        }
    }

    @Command(name = "restart", description = "Stop and start a VM.")
    static final class Restart extends VmAction {
        Restart() {
            super("restart", "restarted", true);
        }
    }

    @Command(name = "suspend", description = {"Save a running VM's whole state to disk and free its memory.",
            "Its IP, MAC and vsock CID stay reserved; `vms resume` (or `vms start`) brings it back where it was, "
                    + "`vms stop` discards the saved state."})
    static final class Suspend extends VmAction {
        Suspend() {
            super("suspend", "suspended", false);
        }
    }

    @Command(name = "resume", description = "Resume a suspended VM from its saved state (same IP, MAC, CID, disks).")
    static final class Resume extends VmAction {
        Resume() {
            super("resume", "resumed", true);
        }
    }

    static String pid(JsonNode vm) {
        return number(vm, "pid") > 0 ? " (PID " + number(vm, "pid") + ")" : "";
    }

    /** api-and-cli.md §5.4: resources of one VM, or replicas of the deployment of that name. */
    @Command(name = "scale", description = "Change a VM's CPU/memory (optionally restarting it), or a deployment's "
            + "replicas.")
    static final class Scale extends Base {
        @Parameters(paramLabel = "<name>", description = "VM name (with --replicas: deployment name)")
        String name;
        @Option(names = "--cpu", paramLabel = "<n>", description = "CPU cores (at least 1)")
        Integer cpu;
        @Option(names = "--memory", paramLabel = "<size>", description = "memory: 512 (MB), 512M, 1G")
        String memory;
        @Option(names = "--restart", description = "restart the VM to apply the change")
        boolean restart;
        @Option(names = "--replicas", paramLabel = "<n>", description = "treat <name> as a deployment and scale it")
        Integer replicas;
        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            Format f = format(output);
            if (cpu == null && memory == null && replicas == null) {
                throw usage("specify --cpu/--memory or --replicas to update");
            }
            checkCpu(cpu);
            Integer mem = memoryMb(memory);
            if (replicas != null && replicas < 0) {
                throw usage("--replicas must be at least 0 (got " + replicas + ")");
            }
            JsonNode last = null;
            if (cpu != null || memory != null) {
                ObjectNode resources = json().object();
                if (cpu != null) {
                    resources.put("cpu_cores", cpu);
                }
                if (memory != null) {
                    resources.put("memory_mb", mem);
                }
                ObjectNode patch = json().object();
                patch.set("resources", resources);
                JsonNode versioned = client(READ).patch(vmPath(name) + "/config", patch);
                last = versioned;
                JsonNode res = versioned.path("config").path("resources");
                say(f, "VM " + name + " updated: CPU=" + res.path("cpu_cores").asLong() + " cores, Memory="
                        + res.path("memory_mb").asLong() + " MB (config version " + number(versioned, "version")
                        + ")");
                if (restart) {
                    try {
                        last = client(LIFECYCLE).post(vmPath(name) + "/restart", null);
                    } catch (ApiException e) {
                        throw new CliException("config updated but restart failed: " + Problems.describe(e));
                    } catch (RuntimeException e) {
                        throw new CliException("config updated but restart failed: " + e.getMessage());
                    }
                    say(f, "VM " + name + " restarted to apply resource changes");
                }
            }
            if (replicas != null) {
                last = client(LIFECYCLE).patch(DeploymentsCommand.path(name), json().object().put("replicas", replicas));
                say(f, DeploymentsCommand.scaledLine(name, last));
            }
            printObject(f, last, name, () -> { });
            return 0;
        }

        /** Human lines only; with {@code -o json|yaml|name} the last object or the name is the output. */
        private void say(Format f, String line) {
            if (f.human()) {
                out().println(line);
            }
        }
    }
}
