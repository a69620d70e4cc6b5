package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.number;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.output.Format;
import io.volant.volar.output.Table;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar vms ...}: VM lifecycle (api-and-cli.md §5.2). */
@Command(name = "vms", description = "Manage microVMs.", subcommands = {VmsCommand.ListVms.class,
        VmsCommand.Get.class, VmCreateCommand.class, VmsCommand.Delete.class, VmsCommand.Start.class,
        VmsCommand.Stop.class, VmsCommand.Restart.class, VmsCommand.Suspend.class, VmsCommand.Resume.class,
        VmsCommand.Scale.class, VmConfigCommand.class,
        VmConsoleCommand.class, VmLogsCommand.class, VmOperationsCommand.Operations.class,
        VmOperationsCommand.Call.class, VmOperationsCommand.Action.class,
        PublishCommands.VmExpose.class, PublishCommands.VmUnexpose.class})
final class VmsCommand extends Group {

    static String vmPath(String name) {
        return "/api/v1/vms/" + seg(name);
    }

    @Command(name = "list", description = "List VMs.")
    static final class ListVms extends Base {
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;
        @Option(names = "--status", description = "only VMs with these statuses (comma-separated)")
        String status;
        @Option(names = "--plugin", description = "only VMs of this plugin")
        String plugin;
        @Option(names = "--runtime", description = "only VMs of this runtime")
        String runtime;

        @Override
        public Integer call() {
            Format f = format(output);
            List<String> q = new ArrayList<>();
            addQuery(q, "status", status);
            addQuery(q, "plugin", plugin);
            addQuery(q, "runtime", runtime);
            ApiClient api = client(READ);
            JsonNode vms = api.get("/api/v1/vms" + (q.isEmpty() ? "" : "?" + String.join("&", q)));
            if (printStructured(f, vms)) {
                return 0;
            }
            if (vms.isEmpty()) {
                out().println("No VMs found");
                return 0;
            }
            var ports = PublishCommands.byOwner(api);
            Table t = new Table(20, 10, 10, 15, 20, 6, 8);
            PublishCommands.row(t, ports, List.of("NAME", "STATUS", "RUNTIME", "IP", "MAC", "CPU", "MEM"), "PORTS");
            for (JsonNode vm : vms) {
                PublishCommands.row(t, ports, List.of(text(vm, "name"), text(vm, "status"), text(vm, "runtime"),
                        text(vm, "ip_address"), text(vm, "mac_address"), number(vm, "cpu_cores"),
                        number(vm, "memory_mb")), ports.getOrDefault("vm " + text(vm, "name"), ""));
            }
            t.lines().forEach(out()::println);
            return 0;
        }

        private static void addQuery(List<String> q, String key, String value) {
            if (value != null && !value.isBlank()) {
                q.add(key + "=" + ApiClient.query(value.trim()));
            }
        }
    }

    @Command(name = "get", description = "Show one VM.")
    static final class Get extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = {"-o", "--output"}, description = "table (default), json or yaml")
        String output;

        @Override
        public Integer call() {
            Format f = format(output);
            ApiClient api = client(READ);
            JsonNode vm = PublishCommands.withPublished(api, "vms", name, api.get(vmPath(name)));
            if (printStructured(f, vm)) {
                return 0;
            }
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
            vm.path("published").forEach(p -> out().println("Published: " + PublishCommands.describe(p)));
            return 0;
        }
    }

    @Command(name = "delete", description = "Destroy a VM.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            client(LIFECYCLE).delete(vmPath(name));
            out().println("VM " + name + " deleted");
            return 0;
        }
    }

    /** A POST to one of the VM's lifecycle routes, answered with one line. */
    abstract static class VmAction extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        private final String route;
        private final String done;
        private final java.time.Duration timeout;
        private final boolean showPid;

        VmAction(String route, String done, java.time.Duration timeout, boolean showPid) {
            this.route = route;
            this.done = done;
            this.timeout = timeout;
            this.showPid = showPid;
        }

        @Override
        public Integer call() {
            JsonNode vm = client(timeout).post(vmPath(name) + "/" + route, null);
            out().println("VM " + name + " " + done + (showPid ? pid(vm) : ""));
            return 0;
        }
    }

    @Command(name = "start", description = "Start a stopped VM (a suspended one is resumed).")
    static final class Start extends VmAction {
        Start() {
            super("start", "started", LIFECYCLE, true);
        }
    }

    @Command(name = "stop", description = "Stop a VM (a suspended one loses its saved state).")
    static final class Stop extends VmAction {
        Stop() {
            super("stop", "stopped", READ, false);
        }
    }

    @Command(name = "restart", description = "Stop and start a VM.")
    static final class Restart extends VmAction {
        Restart() {
            super("restart", "restarted", LIFECYCLE, true);
        }
    }

    @Command(name = "suspend", description = {"Save a running VM's whole state to disk and free its memory.",
            "Its IP, MAC and vsock CID stay reserved; `vms resume` (or `vms start`) brings it back where it was, "
                    + "`vms stop` discards the saved state."})
    static final class Suspend extends VmAction {
        Suspend() {
            super("suspend", "suspended", LIFECYCLE, false);
        }
    }

    @Command(name = "resume", description = "Resume a suspended VM from its saved state (same IP, MAC, CID, disks).")
    static final class Resume extends VmAction {
        Resume() {
            super("resume", "resumed", LIFECYCLE, true);
        }
    }

    static String pid(JsonNode vm) {
        return number(vm, "pid") > 0 ? " (PID " + number(vm, "pid") + ")" : "";
    }

    /** api-and-cli.md §5.4: resources of one VM, or replicas of the deployment of that name. */
    @Command(name = "scale", description = "Change a VM's CPU/memory (optionally restarting it), or a deployment's "
            + "replicas.")
    static final class Scale extends Base {
        @Parameters(paramLabel = "<name>")
        String name;
        @Option(names = "--cpu", defaultValue = "-1", description = "CPU cores")
        int cpu;
        @Option(names = "--memory", defaultValue = "-1", description = "memory in MB")
        int memory;
        @Option(names = "--restart", description = "restart the VM to apply the change")
        boolean restart;
        @Option(names = "--replicas", defaultValue = "-1", description = "treat <name> as a deployment and scale it")
        int replicas;

        @Override
        public Integer call() {
            if (cpu <= 0 && memory <= 0 && replicas < 0) {
                throw new CliException("specify --cpu/--memory or --replicas to update");
            }
            if (cpu > 0 || memory > 0) {
                ObjectNode resources = json().object();
                if (cpu > 0) {
                    resources.put("cpu_cores", cpu);
                }
                if (memory > 0) {
                    resources.put("memory_mb", memory);
                }
                ObjectNode patch = json().object();
                patch.set("resources", resources);
                JsonNode versioned = client(READ).patch(vmPath(name) + "/config", patch);
                JsonNode res = versioned.path("config").path("resources");
                out().println("VM " + name + " updated: CPU=" + res.path("cpu_cores").asLong() + " cores, Memory="
                        + res.path("memory_mb").asLong() + " MB (config version " + number(versioned, "version")
                        + ")");
                if (restart) {
                    try {
                        client(LIFECYCLE).post(vmPath(name) + "/restart", null);
                    } catch (RuntimeException e) {
                        String cause = e instanceof io.volant.volar.client.ApiException a
                                ? a.getMessage() + " (HTTP " + a.status() + ")" : e.getMessage();
                        throw new CliException("config updated but restart failed: " + cause);
                    }
                    out().println("VM " + name + " restarted to apply resource changes");
                }
            }
            if (replicas >= 0) {
                ObjectNode body = json().object().put("replicas", replicas);
                JsonNode d = client(LIFECYCLE).patch(DeploymentsCommand.path(name), body);
                out().println(DeploymentsCommand.scaledLine(name, d));
            }
            return 0;
        }
    }
}
