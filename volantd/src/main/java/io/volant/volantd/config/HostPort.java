package io.volant.volantd.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A {@code host:port} pair; IPv6 hosts bracketed. */
public record HostPort(String host, String port) {

    static HostPort parse(String s, String errPrefix) {
        String v = s.trim();
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(errPrefix + "missing port in address");
        }
        String host = v.substring(0, colon);
        String port = v.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ConfigException(errPrefix + "too many colons in address");
        }
        if (!port.isEmpty()) {
            try {
                int p = Integer.parseInt(port);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(errPrefix + "invalid port \"" + port + "\"");
            }
        }
        return new HostPort(host, port);
    }

    /** Parses without failing: a missing port gives "". */
    public static HostPort split(String s) {
        try {
            return parse(s, "");
        } catch (ConfigException e) {
            return new HostPort(s.trim(), "");
        }
    }

    static String join(String host, String port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Routable/usable host (api-and-cli.md §4.3, control-plane.md §1.7): non-empty, not localhost, not a
     * loopback or unspecified literal. Host names count as routable.
     */
    public static boolean routable(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty() || h.equalsIgnoreCase("localhost")) {
            return false;
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                InetAddress a = InetAddress.getByName(h); // literal: no lookup
                return !a.isLoopbackAddress() && !a.isAnyLocalAddress();
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return true;
    }
}
