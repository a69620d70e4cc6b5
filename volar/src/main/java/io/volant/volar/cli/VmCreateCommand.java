package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import io.volant.volar.output.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar vms create} (api-and-cli.md §5.3, Chosen variant). */
@Command(name = "create", description = "Create and boot a VM from a plugin.")
final class VmCreateCommand extends Base {
    @Parameters(paramLabel = "<name>", description = "VM name (letters, digits, '-', '_', '.')")
    String name;
    @Option(names = "--plugin", description = "plugin to boot")
    String plugin;
    @Option(names = "--runtime", description = "runtime (default: the plugin's)")
    String runtime;
    @Option(names = "--cpu", paramLabel = "<n>", description = "CPU cores (default: the plugin manifest's resources, else 2)")
    Integer cpu;
    @Option(names = "--memory", paramLabel = "<size>",
            description = "memory: 512 (MB), 512M, 1G (default: the plugin manifest's resources, else 2048 MB)")
    String memory;
    @Mixin
    OutputOption output;
    @Option(names = "--kernel-cmdline", description = "extra kernel parameters")
    String kernelCmdline;
    @Option(names = "--kernel", description = "kernel image override (path or URL)")
    String kernel;
    @Option(names = "--initramfs", description = "initramfs override (path or URL)")
    String initramfs;
    @Option(names = "--initramfs-checksum", description = "checksum of --initramfs (sha256:<hex>)")
    String initramfsChecksum;
    @Option(names = "--config", paramLabel = "<file>", description = "VM config file (JSON or YAML)")
    String config;
    @Option(names = "--api-host", description = "control-plane host handed to the guest agent")
    String apiHost;
    @Option(names = "--api-port", description = "control-plane port handed to the guest agent")
    String apiPort;
    @Option(names = "--device", split = ",", paramLabel = "<pci>", description = "PCI device to pass through")
    List<String> devices = new ArrayList<>();
    @Option(names = "--device-allowlist", split = ",", paramLabel = "<vendor:device>",
            description = "allowed vendor:device patterns")
    List<String> allowlist = new ArrayList<>();

    @Override
    public Integer call() {
        Format f = format(output);
        checkCpu(cpu);
        Integer memoryMb = memoryMb(memory);
        if (initramfsChecksum != null && initramfs == null) {
            throw usage("--initramfs-checksum requires --initramfs");
        }
        ObjectNode cfg = config == null ? null : ConfigFiles.read(json(), config, env());
        String flagPlugin = plugin == null ? "" : plugin.trim();
        String cfgPlugin = cfg == null ? "" : text(cfg, "plugin").trim();
        if (!flagPlugin.isEmpty() && !cfgPlugin.isEmpty()
                && !flagPlugin.toLowerCase(Locale.ROOT).equals(cfgPlugin.toLowerCase(Locale.ROOT))) {
            throw new CliException("plugin mismatch between flag (" + flagPlugin + ") and config (" + cfgPlugin + ")");
        }
        String effPlugin = cfgPlugin.isEmpty() ? flagPlugin : cfgPlugin;
        if (effPlugin.isEmpty()) {
            throw new CliException("plugin is required (flag or config file)");
        }
        var api = client(LIFECYCLE);
        JsonNode manifest = api.get("/api/v1/plugins/" + seg(effPlugin));
        String effRuntime = first(cfg == null ? "" : text(cfg, "runtime"), runtime, text(manifest, "runtime"),
                text(manifest, "name"));
        if (effRuntime.isEmpty()) {
            throw new CliException("plugin " + effPlugin + " does not define a runtime");
        }
        JsonNode cfgRes = cfg == null ? null : cfg.path("resources");
        Integer effCpu = positive(cfgRes, "cpu_cores", cpu);
        Integer effMem = positive(cfgRes, "memory_mb", memoryMb);
        String effCmdline = first(cfg == null ? "" : text(cfg, "kernel_cmdline"), kernelCmdline);
        String effHost = first(cfg == null ? "" : text(cfg.path("api"), "host"), apiHost);
        String effPort = first(cfg == null ? "" : text(cfg.path("api"), "port"), apiPort);

        ObjectNode body = json().object().put("name", name).put("plugin", effPlugin).put("runtime", effRuntime);
        if (effCpu != null) {
            body.put("cpu_cores", effCpu);
        }
        if (effMem != null) {
            body.put("memory_mb", effMem);
        }
        putIfSet(body, "kernel_cmdline", effCmdline);
        putIfSet(body, "api_host", effHost);
        putIfSet(body, "api_port", effPort);

        boolean overrides = !devices.isEmpty() || !allowlist.isEmpty() || kernel != null || initramfs != null;
        if (cfg != null || overrides) {
            ObjectNode c = cfg != null ? cfg : json().object();
            if (cfg == null) {
                c.set("manifest", manifest);
            }
            c.put("plugin", effPlugin).put("runtime", effRuntime);
            ObjectNode res = c.has("resources") && c.get("resources").isObject()
                    ? (ObjectNode) c.get("resources") : c.putObject("resources");
            if (effCpu != null) {
                res.put("cpu_cores", effCpu);
            }
            if (effMem != null) {
                res.put("memory_mb", effMem);
            }
            if (res.isEmpty()) {
                c.remove("resources");
            }
            putIfSet(c, "kernel_cmdline", effCmdline);
            if (!effHost.isEmpty() || !effPort.isEmpty()) {
                ObjectNode a = c.putObject("api");
                putIfSet(a, "host", effHost);
                if (!effPort.isEmpty()) {
                    a.put("port", effPort);
                }
            }
            if (kernel != null) {
                c.put("kernel_override", localOrUrl(kernel));
            }
            if (initramfs != null) {
                ObjectNode i = c.putObject("initramfs").put("url", localOrUrl(initramfs));
                i.put("checksum", initramfsChecksum == null ? "" : initramfsChecksum.trim());
            }
            if (!devices.isEmpty() || !allowlist.isEmpty()) {
                ObjectNode d = c.putObject("devices");
                ArrayNode pci = d.putArray("pci_passthrough");
                devices.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(pci::add);
                ArrayNode allow = d.putArray("allowlist");
                allowlist.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(allow::add);
            }
            body.set("config", c);
        }
        JsonNode vm = api.post("/api/v1/vms", body);
        String ip = text(vm, "ip_address");
        printResult(f, vm, name, "VM " + name + " created" + (ip.isEmpty() ? "" : " with IP " + ip));
        return 0;
    }

    /** Local override paths become absolute (the daemon's working directory is not ours). */
    private String localOrUrl(String value) {
        String v = value.trim();
        if (v.matches("(?i)^(https?|file)://.*")) {
            return v;
        }
        return env().resolve(v).toString();
    }

    private static Integer positive(JsonNode res, String member, Integer flag) {
        if (res != null && res.path(member).asInt(0) > 0) {
            return res.path(member).asInt();
        }
        return flag != null && flag > 0 ? flag : null;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }

    private static void putIfSet(ObjectNode node, String member, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(member, value);
        }
    }
}
