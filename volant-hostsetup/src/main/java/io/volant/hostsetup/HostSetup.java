package io.volant.hostsetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The executing side of {@code volar setup} (host-runtime.md §4.7 steps 2-9 with the Chosen fixes): root check,
 * directories, required binaries (a hypervisor is Cloud Hypervisor or QEMU; in dry-run a missing one is only a
 * warning), bridge/forwarding/NAT through {@link HostBootstrap}, {@code /etc/sysctl.d/99-volant.conf}, the unit file
 * and systemctl. Every external effect goes through the {@link HostCommands} or the given file paths, so tests run
 * it against temp files and a fake or namespaced runner.
 */
public final class HostSetup {
    private final HostCommands runner;
    private final Predicate<String> onPath;
    private final Path sysctlConf;
    private final boolean root;

    /**
     * @param onPath     whether a binary is found on PATH
     * @param sysctlConf {@code /etc/sysctl.d/99-volant.conf}
     * @param root       whether the effective UID is 0
     */
    public HostSetup(HostCommands runner, Predicate<String> onPath, Path sysctlConf, boolean root) {
        this.runner = runner;
        this.onPath = onPath;
        this.sysctlConf = sysctlConf;
        this.root = root;
    }

    /** Result: the text to print and the warnings to show before it. */
    public record Outcome(String output, List<String> warnings) {}

    public Outcome run(SetupOptions o, boolean dryRun) {
        List<String> warnings = new ArrayList<>();
        if (!dryRun && !root) {
            throw new IllegalStateException("volar setup must be run as root (use --dry-run to preview)");
        }
        for (String bin : List.of("ip", "iptables")) {
            requireBinary(bin, dryRun, warnings);
        }
        if (!onPath.test("cloud-hypervisor") && !onPath.test("qemu-system-x86_64")) {
            String msg = "required binary cloud-hypervisor not found in PATH";
            if (!dryRun) {
                throw new IllegalStateException(msg + " (nor qemu-system-x86_64)");
            }
            warnings.add(msg);
        }
        if (dryRun) {
            return new Outcome(SetupPlan.output(SetupPlan.dryRun(o), true), warnings);
        }
        List<String> recorded = new ArrayList<>();
        try {
            for (String d : SetupPlan.directories(o)) {
                Files.createDirectories(Path.of(d));
            }
            recorded.addAll(new HostBootstrap(runner).apply(o.bridge(), o.subnet(), o.hostCidr()));
            Files.createDirectories(sysctlConf.getParent());
            Files.writeString(sysctlConf, "net.ipv4.ip_forward = 1\n");
            if (!o.serviceFile().isEmpty()) {
                Path unit = Path.of(o.serviceFile());
                Files.createDirectories(unit.getParent());
                Files.writeString(unit, SetupPlan.unit(o));
                recorded.add("write service file " + unit);
                // Failures ignored as upstream: a host without systemd still gets a usable unit file.
                runner.run(List.of("systemctl", "daemon-reload"), Duration.ofSeconds(30));
                recorded.add("systemctl daemon-reload");
                runner.run(List.of("systemctl", "enable", "--now", "volantd"), Duration.ofSeconds(60));
                recorded.add("systemctl enable --now volantd");
            }
        } catch (IOException e) {
            throw new IllegalStateException("setup: " + e.getMessage(), e);
        }
        return new Outcome(SetupPlan.output(recorded, false), warnings);
    }

    private void requireBinary(String bin, boolean dryRun, List<String> warnings) {
        if (onPath.test(bin)) {
            return;
        }
        String msg = "required binary " + bin + " not found in PATH";
        if (!dryRun) {
            throw new IllegalStateException(msg);
        }
        warnings.add(msg);
    }
}
