package io.volant.volar.cli;

import io.volant.hostsetup.HostSetup;
import io.volant.hostsetup.SetupOptions;
import io.volant.volar.setup.HostProbe;
import io.volant.volar.setup.SetupEffects;
import io.volant.volar.setup.SetupFlags;
import io.volant.volar.setup.SetupResolver;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code volar setup}: host bootstrap (api-and-cli.md §5.8, host-runtime.md §4.7). On a terminal it shows the plan
 * and asks first (unless {@code --yes} or {@code --dry-run}); scripts are never asked. Resolves the flags
 * here and hands them to the shared {@link HostSetup}, which checks root and binaries (a dry run only warns), runs
 * the commands through {@link CliEnvironment#setupEffects()} and writes the unit.
 */
@Command(name = "setup", description = "Prepare this host for volantd (bridge, NAT, directories, systemd unit).",
        subcommands = SetupTlsCommand.class)
final class SetupCommand extends Base {
    @Option(names = "--bridge", description = "bridge name (default: $VOLANT_BRIDGE, else vbr0)")
    String bridge;
    @Option(names = "--subnet", description = "VM subnet (default: $VOLANT_SUBNET, else 192.168.127.0/24)")
    String subnet;
    @Option(names = "--host-ip", description = "host address on the bridge (default: $VOLANT_HOST_IP, else "
            + "192.168.127.1)")
    String hostIp;
    @Option(names = "--dry-run", description = "print the commands without running them")
    boolean dryRun;
    @Option(names = "--runtime-dir", description = "default: $VOLANT_RUNTIME_DIR, else ~/.volant/run")
    String runtimeDir;
    @Option(names = "--log-dir", description = "default: $VOLANT_LOG_DIR, else ~/.volant/logs")
    String logDir;
    @Option(names = "--service-file", description = "systemd unit path; empty = no unit "
            + "(default /etc/systemd/system/volantd.service)")
    String serviceFile;
    @Option(names = "--work-dir", description = "default: $VOLANT_WORK_DIR, else /var/lib/volant")
    String workDir;
    @Option(names = "--bzimage", description = "default: $VOLANT_KERNEL_BZIMAGE, else <work dir>/kernel/bzImage")
    String bzimage;
    @Option(names = "--vmlinux", description = "default: $VOLANT_KERNEL_VMLINUX, else <work dir>/kernel/vmlinux")
    String vmlinux;
    @Mixin
    YesOption yes;

    @Override
    public Integer call() {
        HostProbe host = env().hostProbe();
        if (!dryRun && !host.isRoot()) {
            throw new CliException("volar setup must be run as root (use --dry-run to preview)");
        }
        Optional<String> hypervisor = host.which("cloud-hypervisor").or(() -> host.which("qemu-system-x86_64"));
        SetupOptions options = SetupResolver.resolve(new SetupFlags(or(bridge, "VOLANT_BRIDGE"),
                or(subnet, "VOLANT_SUBNET"), hostIp != null ? hostIp : firstEnv("VOLANT_HOST_IP", "volant_HOST_IP"),
                or(runtimeDir, "VOLANT_RUNTIME_DIR"), or(logDir, "VOLANT_LOG_DIR"),
                serviceFile == null ? "/etc/systemd/system/volantd.service" : serviceFile,
                or(workDir, "VOLANT_WORK_DIR"), or(bzimage, "VOLANT_KERNEL_BZIMAGE"),
                or(vmlinux, "VOLANT_KERNEL_VMLINUX"), host.volantdPath().orElse("/usr/local/bin/volantd"),
                hypervisor.orElse(""), host.home(), env().cwd().toString()));
        SetupEffects effects = env().setupEffects();
        HostSetup setup = new HostSetup(effects.commands(), bin -> host.which(bin).isPresent(),
                effects.sysctlFile(), host.isRoot());
        if (!dryRun && !yes.yes && env().stdinTty()) {
            // A person at a terminal sees the plan before the host changes (issue 17 row 15).
            HostSetup.Outcome plan = setup.run(options, true);
            plan.warnings().forEach(w -> err().println("warning: " + w));
            err().print(plan.output().lines().filter(l -> !l.startsWith("Dry run complete"))
                    .map(l -> l + "\n").reduce("", String::concat));
            confirm(yes, "Apply these changes to this host?");
        }
        HostSetup.Outcome outcome = setup.run(options, dryRun);
        outcome.warnings().forEach(w -> err().println("warning: " + w));
        out().print(outcome.output());
        out().flush();
        return 0;
    }

    private String or(String flag, String var) {
        return flag != null ? flag : env().env(var);
    }

    private String firstEnv(String... vars) {
        for (String v : vars) {
            if (!env().env(v).isEmpty()) {
                return env().env(v);
            }
        }
        return "";
    }
}
