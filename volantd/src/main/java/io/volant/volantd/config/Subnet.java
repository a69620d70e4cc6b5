package io.volant.volantd.config;

import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 subnet with host bits cleared. Addresses are handled as unsigned 32-bit values in a {@code long}.
 *
 * @param network network address as a number
 * @param prefix prefix length 0-32
 */
public record Subnet(long network, int prefix) {

    /** Parses {@code a.b.c.d/n}; failure → {@link ConfigException} {@code invalid subnet cidr "<c>": <err>}. */
    public static Subnet parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        try {
            if (slash < 0) {
                throw new IllegalArgumentException("missing prefix length");
            }
            if (s.contains(":")) {
                throw new IllegalArgumentException("ipv6 subnets are not supported: " + s);
            }
            long ip = parseIp(s.substring(0, slash));
            int prefix = Integer.parseInt(s.substring(slash + 1));
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix length " + prefix + " out of range 0-32");
            }
            return new Subnet(ip & mask(prefix), prefix);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid subnet cidr \"" + cidr + "\": " + e.getMessage());
        }
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** Parses a dotted IPv4 address; throws IllegalArgumentException naming it. */
    public static long parseIp(String ip) {
        String[] parts = ip.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address \"" + ip + "\"");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid IPv4 address \"" + ip + "\"");
            }
            int n = Integer.parseInt(p);
            if (n > 255) {
                throw new IllegalArgumentException("invalid IPv4 address \"" + ip + "\"");
            }
            v = (v << 8) | n;
        }
        return v;
    }

    public static String format(long ip) {
        return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
    }

    public boolean contains(long ip) {
        return (ip & mask(prefix)) == network;
    }

    public boolean contains(String ip) {
        try {
            return contains(parseIp(ip));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String netmask() {
        return format(mask(prefix));
    }

    public long broadcast() {
        return network | (~mask(prefix) & 0xFFFFFFFFL);
    }

    /**
     * The IP pool (host-runtime.md §4.2): every address except network, broadcast and the host IP.
     *
     * @throws ConfigException {@code invalid subnet mask: ffffffff}, {@code no assignable IPs in subnet <cidr>}
     */
    public List<String> pool(String hostIp) {
        if (prefix >= 32) {
            throw new ConfigException("orchestrator: derive ip pool: invalid subnet mask: ffffffff");
        }
        long host = parseIp(hostIp);
        List<String> out = new ArrayList<>();
        for (long a = network + 1; a < broadcast(); a++) {
            if (a != host) {
                out.add(format(a));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException("orchestrator: derive ip pool: no assignable IPs in subnet " + this);
        }
        return out;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
