package io.volant.volar.setup;

import io.volant.hostsetup.SetupOptions;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Resolves {@code volar setup}'s flags into the options of the shared host-setup module (host-runtime.md §4.7 steps 1
 * and 3): defaults, {@code ~} expansion, absolute paths, and the subnet/host-address checks with the spec's messages.
 * No I/O.
 */
public final class SetupResolver {
    private SetupResolver() {}

    /**
     * @throws IllegalArgumentException with the spec's message for a bad subnet or host address, or a unit without a
     *                                  volantd path
     */
    public static SetupOptions resolve(SetupFlags o) {
        String bridge = or(o.bridge(), "vbr0");
        String subnet = or(o.subnet(), "192.168.127.0/24");
        String hostIp = or(o.hostIp(), "192.168.127.1");
        String workDir = abs(or(o.workDir(), "/var/lib/volant"), o);
        String runtimeDir = abs(or(o.runtimeDir(), "~/.volant/run"), o);
        String logDir = abs(or(o.logDir(), "~/.volant/logs"), o);
        String bzimage = abs(or(o.bzimage(), workDir + "/kernel/bzImage"), o);
        String vmlinux = abs(or(o.vmlinux(), workDir + "/kernel/vmlinux"), o);
        checkSubnet(subnet, hostIp);
        String service = o.serviceFile() == null ? "/etc/systemd/system/volantd.service" : o.serviceFile().trim();
        String volantd = o.volantdPath() == null || o.volantdPath().isBlank() ? "" : abs(o.volantdPath(), o);
        if (!service.isEmpty()) {
            if (volantd.isEmpty()) {
                throw new IllegalArgumentException("server binary path required when writing service file");
            }
            service = abs(service, o);
        }
        return new SetupOptions(bridge, subnet, hostIp, runtimeDir, logDir, service, workDir, bzimage, vmlinux,
                volantd, o.hypervisorPath() == null ? "" : o.hypervisorPath());
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

    private static String abs(String p, SetupFlags o) {
        String expanded = p.equals("~") ? o.home() : p.startsWith("~/") ? o.home() + p.substring(1) : p;
        return Path.of(o.cwd()).resolve(expanded).toAbsolutePath().normalize().toString();
    }

}
