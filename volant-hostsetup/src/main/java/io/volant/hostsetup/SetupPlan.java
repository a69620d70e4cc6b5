package io.volant.hostsetup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host bootstrap of {@code volar setup} as pure functions (host-runtime.md §4.7): the recorded command list of a
 * dry run, the systemd unit (with the Chosen {@code VOLANT_HOST_IP} and {@code VOLANT_HYPERVISOR} lines) and the
 * output text. {@link HostBootstrap} executes the same steps.
 */
public final class SetupPlan {
    public static final String DRY_RUN_DONE = "Dry run complete. Re-run without --dry-run as root to apply changes.";
    public static final String DONE = "Setup completed successfully.";

    private SetupPlan() {}

    /** Directories of step 4, in order, without duplicates. */
    public static List<String> directories(SetupOptions o) {
        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(o.runtimeDir());
        dirs.add(o.logDir());
        dirs.add(o.workDir());
        dirs.add(parent(o.bzImage()));
        dirs.add(parent(o.vmlinux()));
        return List.copyOf(dirs);
    }

    /** The three iptables rules of step 8 in their {@code -A} form (argv). */
    public static List<List<String>> iptablesRules(String bridge, String subnet) {
        return List.of(
                List.of("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", subnet, "!", "-o", bridge, "-j",
                        "MASQUERADE"),
                List.of("iptables", "-A", "FORWARD", "-i", bridge, "-j", "ACCEPT"),
                List.of("iptables", "-A", "FORWARD", "-o", bridge, "-j", "ACCEPT"));
    }

    /** Step 6 argv in order. */
    public static List<List<String>> bridgeCommands(String bridge, String hostCidr) {
        return List.of(
                List.of("ip", "link", "add", bridge, "type", "bridge"),
                List.of("ip", "addr", "replace", hostCidr, "dev", bridge),
                List.of("ip", "link", "set", bridge, "up"));
    }

    /** Every command a dry run records, in order (AC-N8). */
    public static List<String> dryRun(SetupOptions o) {
        List<String> out = new ArrayList<>();
        for (String d : directories(o)) {
            out.add("mkdir -p " + d);
        }
        bridgeCommands(o.bridge(), o.hostCidr()).forEach(c -> out.add(String.join(" ", c)));
        out.add("echo '1' > /proc/sys/net/ipv4/ip_forward");
        iptablesRules(o.bridge(), o.subnet()).forEach(c -> out.add(String.join(" ", c)));
        if (!o.serviceFile().isEmpty()) {
            out.add("write service file " + o.serviceFile());
            out.add("systemctl daemon-reload");
            out.add("systemctl enable --now volantd");
        }
        return out;
    }

    /** The text {@code volar setup} prints. */
    public static String output(List<String> recorded, boolean dryRun) {
        StringBuilder b = new StringBuilder(dryRun ? "Commands to run:\n" : "Commands executed:\n");
        recorded.forEach(c -> b.append("  ").append(c).append('\n'));
        b.append(dryRun ? DRY_RUN_DONE : DONE).append('\n');
        return b.toString();
    }

    /** The systemd unit (§4.7, Chosen lines included). */
    public static String unit(SetupOptions o) {
        if (o.volantdBinary().isEmpty()) {
            throw new IllegalArgumentException("server binary path required when writing service file");
        }
        String log = Path.of(o.logDir()).resolve("volantd.log").toString();
        StringBuilder b = new StringBuilder();
        b.append("[Unit]\nDescription=VOLANT Control Plane\nAfter=network.target\n\n[Service]\nType=simple\n")
                .append("User=root\nGroup=root\n")
                .append("WorkingDirectory=").append(o.workDir()).append('\n')
                .append("Environment=VOLANT_BRIDGE=").append(o.bridge()).append('\n')
                .append("Environment=VOLANT_SUBNET=").append(o.subnet()).append('\n')
                .append("Environment=VOLANT_HOST_IP=").append(o.hostIp()).append('\n');
        if (!o.hypervisor().isEmpty()) {
            b.append("Environment=VOLANT_HYPERVISOR=").append(o.hypervisor()).append('\n');
        }
        b.append("Environment=VOLANT_RUNTIME_DIR=").append(o.runtimeDir()).append('\n')
                .append("Environment=VOLANT_LOG_DIR=").append(o.logDir()).append('\n')
                .append("Environment=VOLANT_KERNEL_BZIMAGE=").append(o.bzImage()).append('\n')
                .append("Environment=VOLANT_KERNEL_VMLINUX=").append(o.vmlinux()).append('\n')
                .append("ExecStart=").append(o.volantdBinary()).append('\n')
                .append("Restart=always\nRestartSec=5\n")
                .append("StandardOutput=append:").append(log).append('\n')
                .append("StandardError=append:").append(log).append('\n')
                .append("\n[Install]\nWantedBy=multi-user.target\n");
        return b.toString();
    }

    private static String parent(String path) {
        Path p = Path.of(path).getParent();
        return p == null ? "/" : p.toString();
    }
}
