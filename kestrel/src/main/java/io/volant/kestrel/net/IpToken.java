package io.volant.kestrel.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kernel's {@code ip=} parameter: {@code <client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>}
 * (Documentation/admin-guide/nfs/nfsroot.rst), or a single keyword such as {@code dhcp}. Volant emits
 * {@code ip=<ip>::<gw>:<mask>:<host>:eth0:off} (static) and {@code ip=::::<host>:eth0:dhcp} (plugins-and-guest.md §1.9,
 * §2.4, G8).
 */
public record IpToken(String client, String gateway, String netmask, String hostname, String device, String autoconf,
                      List<String> dns) {

    /** Parses the value after {@code ip=}; empty for {@code off}/{@code none} without an address, and for garbage. */
    public static Optional<IpToken> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String[] f = value.split(":", -1);
        if (f.length == 1) {
            String mode = f[0].toLowerCase(Locale.ROOT);
            return switch (mode) {
                case "dhcp", "on", "any", "both", "bootp", "rarp" ->
                        Optional.of(new IpToken("", "", "", "", "eth0", mode, List.of()));
                default -> Optional.empty();
            };
        }
        String device = field(f, 5);
        List<String> dns = new ArrayList<>();
        for (int i = 7; i <= 8; i++) {
            String d = field(f, i);
            if (!d.isEmpty() && !d.equals("0.0.0.0")) {
                dns.add(d);
            }
        }
        return Optional.of(new IpToken(field(f, 0), field(f, 2), field(f, 3), field(f, 4),
                device.isEmpty() ? "eth0" : device, field(f, 6).toLowerCase(Locale.ROOT), List.copyOf(dns)));
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i].trim() : "";
    }

    /** A fixed address to configure: a client address and no autoconfiguration protocol. */
    public boolean isStatic() {
        return !client.isEmpty() && (autoconf.isEmpty() || autoconf.equals("off") || autoconf.equals("none"));
    }

    /** The address should come from DHCP. */
    public boolean isDhcp() {
        return switch (autoconf) {
            case "dhcp", "on", "any", "both", "bootp", "rarp" -> true;
            default -> false;
        };
    }

    /** Prefix length of {@link #netmask()}; classful default when it is empty, as the kernel does. */
    public int prefixLength() {
        if (netmask.isEmpty()) {
            int first = Integer.parseInt(client.split("\\.")[0]);
            return first < 128 ? 8 : first < 192 ? 16 : 24;
        }
        if (netmask.matches("\\d{1,2}")) {
            return Integer.parseInt(netmask);
        }
        String[] o = netmask.split("\\.");
        if (o.length != 4) {
            throw new IllegalArgumentException("ip= netmask \"" + netmask + "\" is not a dotted IPv4 mask");
        }
        long bits = 0;
        for (String part : o) {
            bits = (bits << 8) | Integer.parseInt(part);
        }
        int prefix = Long.bitCount(bits);
        if (bits != ((0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("ip= netmask \"" + netmask + "\" is not contiguous");
        }
        return prefix;
    }
}
