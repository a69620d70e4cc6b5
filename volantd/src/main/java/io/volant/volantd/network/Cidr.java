package io.volant.volantd.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** An IPv4 or IPv6 network; a bare address means /32 or /128 (api-and-cli.md §3.4). */
public record Cidr(byte[] network, int prefix, String text) {

    /**
     * Parses one entry. Throws {@link IllegalArgumentException} whose message is the trimmed entry.
     */
    public static Cidr parse(String entry) {
        String s = entry.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = literal(host);
        if (address == null) {
            throw new IllegalArgumentException(s);
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(s);
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException(s);
            }
        }
        return new Cidr(mask(address.getAddress(), prefix), prefix, s);
    }

    /** Comma-separated list; empty entries are skipped; the first invalid entry fails the whole list. */
    public static List<Cidr> parseList(String value, String variable) {
        List<Cidr> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(parse(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid CIDR in " + variable + ": " + part.trim());
            }
        }
        return List.copyOf(out);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        byte[] masked = mask(candidate, prefix);
        return java.util.Arrays.equals(masked, network);
    }

    public static boolean anyContains(List<Cidr> list, InetAddress address) {
        for (Cidr c : list) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IP literal (never a DNS lookup) or {@code null}; IPv4-mapped IPv6 comes back as IPv4 so that it is
     * compared as IPv4.
     */
    public static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty()) {
            return null;
        }
        boolean ipv4 = s.chars().allMatch(c -> c == '.' || Character.isDigit(c)) && s.chars().filter(c -> c == '.').count() == 3;
        boolean ipv6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || c == '%'
                || Character.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        if (!ipv4 && !ipv6) {
            return null;
        }
        if (ipv4) {
            for (String octet : s.split("\\.")) {
                if (octet.isEmpty() || octet.length() > 3 || Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return a;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static boolean isIpv4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
