package io.volant.volar.setup;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code volar setup} does to the host, computed from the options alone (host-runtime.md §4.7): no I/O, so
 * {@code --dry-run} prints exactly what a real run would execute.
 *
 * @param directories  created with {@code mkdir -p} (0755)
 * @param ipCommands   argv of the three {@code ip} commands (the first one's failure is ignored)
 * @param iptablesRules     argv of the iptables rules in {@code -A} form; a real run checks each with {@code -C} first
 * @param serviceFile  where the unit goes ("" = no unit)
 * @param unitFile     the unit's text ("" when no unit)
 * @param sysctlFile   the forwarding setting that survives reboots (Chosen)
 * @param commands     the recorded commands of a dry run, in order
 */
public record SetupPlan(List<String> directories, List<List<String>> ipCommands, List<List<String>> iptablesRules,
        String serviceFile, String unitFile, String sysctlFile, List<String> commands) {

    public static final String SYSCTL_FILE = "/etc/sysctl.d/99-volant.conf";
    public static final String SYSCTL_CONTENT = "net.ipv4.ip_forward = 1\n";

    /**
     * Plans a setup run.
     *
     * @throws IllegalArgumentException with the spec's message for a bad subnet or host address
     */
    public static SetupPlan of(SetupOptions o) {
        String bridge = or(o.bridge(), "vbr0");
        String subnet = or(o.subnet(), "192.168.127.0/24");
        String hostIp = or(o.hostIp(), "192.168.127.1");
        String workDir = abs(or(o.workDir(), "/var/lib/volant"), o);
        String runtimeDir = abs(or(o.runtimeDir(), "~/.volant/run"), o);
        String logDir = abs(or(o.logDir(), "~/.volant/logs"), o);
        String bzimage = abs(or(o.bzimage(), workDir + "/kernel/bzImage"), o);
        String vmlinux = abs(or(o.vmlinux(), workDir + "/kernel/vmlinux"), o);
        int prefix = checkSubnet(subnet, hostIp);
        String hostCidr = hostIp + "/" + prefix;

        Set<String> dirs = new LinkedHashSet<>(List.of(runtimeDir, logDir, workDir));
        dirs.add(parent(bzimage));
        dirs.add(parent(vmlinux));

        List<List<String>> ip = List.of(
                List.of("ip", "link", "add", bridge, "type", "bridge"),
                List.of("ip", "addr", "replace", hostCidr, "dev", bridge),
                List.of("ip", "link", "set", bridge, "up"));
        List<List<String>> rules = List.of(
                List.of("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", subnet, "!", "-o", bridge, "-j",
                        "MASQUERADE"),
                List.of("iptables", "-A", "FORWARD", "-i", bridge, "-j", "ACCEPT"),
                List.of("iptables", "-A", "FORWARD", "-o", bridge, "-j", "ACCEPT"));

        String service = o.serviceFile() == null ? "/etc/systemd/system/volantd.service" : o.serviceFile().trim();
        String unit = "";
        if (!service.isEmpty()) {
            if (o.volantdPath() == null || o.volantdPath().isBlank()) {
                throw new IllegalArgumentException("server binary path required when writing service file");
            }
            unit = unit(workDir, bridge, subnet, hostIp, o.hypervisorPath(), runtimeDir, logDir, bzimage, vmlinux,
                    abs(o.volantdPath(), o));
        }

        List<String> commands = new ArrayList<>();
        dirs.forEach(d -> commands.add("mkdir -p " + d));
        ip.forEach(c -> commands.add(String.join(" ", c)));
        commands.add("echo '1' > /proc/sys/net/ipv4/ip_forward");
        commands.add("write sysctl file " + SYSCTL_FILE);
        rules.forEach(c -> commands.add(String.join(" ", c)));
        if (!service.isEmpty()) {
            commands.add("write service file " + service);
            commands.add("systemctl daemon-reload");
            commands.add("systemctl enable --now volantd");
        }
        return new SetupPlan(List.copyOf(dirs), ip, rules, service, unit, SYSCTL_FILE, List.copyOf(commands));
    }

    private static String unit(String workDir, String bridge, String subnet, String hostIp, String hypervisor,
            String runtimeDir, String logDir, String bzimage, String vmlinux, String volantd) {
        StringBuilder b = new StringBuilder();
        b.append("[Unit]\nDescription=VOLANT Control Plane\nAfter=network.target\n\n");
        b.append("[Service]\nType=simple\nUser=root\nGroup=root\n");
        b.append("WorkingDirectory=").append(workDir).append('\n');
        b.append("Environment=VOLANT_BRIDGE=").append(bridge).append('\n');
        b.append("Environment=VOLANT_SUBNET=").append(subnet).append('\n');
        b.append("Environment=VOLANT_HOST_IP=").append(hostIp).append('\n');
        if (hypervisor != null && !hypervisor.isBlank()) {
            b.append("Environment=VOLANT_HYPERVISOR=").append(hypervisor).append('\n');
        }
        b.append("Environment=VOLANT_RUNTIME_DIR=").append(runtimeDir).append('\n');
        b.append("Environment=VOLANT_LOG_DIR=").append(logDir).append('\n');
        b.append("Environment=VOLANT_KERNEL_BZIMAGE=").append(bzimage).append('\n');
        b.append("Environment=VOLANT_KERNEL_VMLINUX=").append(vmlinux).append('\n');
        b.append("ExecStart=").append(volantd).append('\n');
        b.append("Restart=always\nRestartSec=5\n");
        b.append("StandardOutput=append:").append(logDir).append("/volantd.log\n");
        b.append("StandardError=append:").append(logDir).append("/volantd.log\n\n");
        b.append("[Install]\nWantedBy=multi-user.target\n");
        return b.toString();
    }

    /** @return the prefix length */
    private static int checkSubnet(String subnet, String hostIp) {
        int slash = subnet.indexOf('/');
        byte[] net;
        int prefix;
        try {
            if (slash < 0) {
                throw new IllegalArgumentException("missing prefix length");
            }
            net = ipv4(subnet.substring(0, slash));
            prefix = Integer.parseInt(subnet.substring(slash + 1));
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix length out of range");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid subnet " + subnet + ": " + e.getMessage(), e);
        }
        byte[] host;
        try {
            host = ipv4(hostIp);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid host ip " + hostIp, e);
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        if ((toLong(net) & mask) != (toLong(host) & mask)) {
            throw new IllegalArgumentException("host ip " + hostIp + " not in subnet " + subnet);
        }
        return prefix;
    }

    private static byte[] ipv4(String s) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            return a.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + s, e);
        }
    }

    private static long toLong(byte[] b) {
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private static String or(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static String abs(String p, SetupOptions o) {
        String expanded = p.equals("~") ? o.home() : p.startsWith("~/") ? o.home() + p.substring(1) : p;
        return Path.of(o.cwd()).resolve(expanded).toAbsolutePath().normalize().toString();
    }

    private static String parent(String p) {
        Path parent = Path.of(p).getParent();
        return parent == null ? "/" : parent.toString();
    }
}
