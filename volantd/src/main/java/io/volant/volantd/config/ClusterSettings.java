package io.volant.volantd.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Cluster mode (docs/cluster.md), off unless {@code VOLANT_CLUSTER_ETCD} is set:
 * {@code VOLANT_CLUSTER_ETCD} (comma-separated etcd client URLs), {@code VOLANT_NODE_NAME} (DNS label),
 * {@code VOLANT_NODE_URL} (the URL other nodes and clients reach this volantd at),
 * {@code VOLANT_CLUSTER_LEASE_SECONDS} (membership lease TTL, default 10, at least 2) and
 * {@code VOLANT_NODE_LABELS} ({@code key=value,...}) and {@code VOLANT_CLUSTER_SUBNETS} (the cluster's guest range,
 * default {@code 10.210.0.0/16}, carved into one /24 per node; the first node's value is stored and wins).
 * With {@code https://} endpoints, {@link EtcdTlsFiles} names the CA and client certificate for etcd and
 * {@link EtcdUser} an etcd user.
 *
 * @param etcdEndpoints empty = single host (cluster mode off); all {@code http://} or all {@code https://}
 * @param etcdTls {@link EtcdTlsFiles#NONE} unless the endpoints are {@code https://}
 * @param etcdUser {@link EtcdUser#NONE} unless the endpoints are {@code https://}
 */
public record ClusterSettings(List<String> etcdEndpoints, String nodeName, String nodeUrl, Duration leaseTtl,
                              Map<String, String> labels, Subnet guestRange, EtcdTlsFiles etcdTls, EtcdUser etcdUser) {
    /** Each node's guest subnet is a /{@value} of {@link #guestRange()}. */
    public static final int NODE_PREFIX = 24;
    public static final Subnet DEFAULT_GUEST_RANGE = Subnet.parse("10.210.0.0/16");
    public static final ClusterSettings OFF = new ClusterSettings(List.of(), "local", "", Duration.ofSeconds(10), Map.of(),
            DEFAULT_GUEST_RANGE);
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    private static final Pattern LABEL_KEY = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})$");
    private static final List<String> NODE_VARIABLES =
            List.of("VOLANT_NODE_NAME", "VOLANT_NODE_URL", "VOLANT_NODE_LABELS", "VOLANT_CLUSTER_LEASE_SECONDS",
                    "VOLANT_CLUSTER_SUBNETS", EtcdTlsFiles.CA, EtcdTlsFiles.CERT, EtcdTlsFiles.KEY, EtcdUser.USER,
                    EtcdUser.PASSWORD);

    public ClusterSettings {
        etcdEndpoints = List.copyOf(etcdEndpoints);
        labels = Map.copyOf(labels);
    }

    /** Plain {@code http://} to etcd. */
    public ClusterSettings(List<String> etcdEndpoints, String nodeName, String nodeUrl, Duration leaseTtl,
                           Map<String, String> labels, Subnet guestRange) {
        this(etcdEndpoints, nodeName, nodeUrl, leaseTtl, labels, guestRange, EtcdTlsFiles.NONE, EtcdUser.NONE);
    }

    /** True when the etcd endpoints are {@code https://}. */
    public boolean etcdHttps() {
        return !etcdEndpoints.isEmpty() && etcdEndpoints.getFirst().startsWith("https://");
    }

    /** True when this volantd is a member of an etcd-backed cluster. */
    public boolean enabled() {
        return !etcdEndpoints.isEmpty();
    }

    /** Reads the variables above; every malformed value is a {@link ConfigException} naming the variable. */
    public static ClusterSettings fromEnv(Map<String, String> env) {
        List<String> endpoints = new ArrayList<>();
        for (String s : value(env, "VOLANT_CLUSTER_ETCD").split(",")) {
            if (!s.isBlank()) {
                endpoints.add(url("VOLANT_CLUSTER_ETCD", s.trim()));
            }
        }
        if (endpoints.isEmpty()) {
            for (String v : NODE_VARIABLES) {
                if (!value(env, v).isEmpty()) {
                    throw new ConfigException(v + " is set but VOLANT_CLUSTER_ETCD is not: cluster mode needs the etcd endpoints");
                }
            }
            return OFF;
        }
        String name = value(env, "VOLANT_NODE_NAME");
        if (name.isEmpty()) {
            throw new ConfigException("VOLANT_NODE_NAME is required when VOLANT_CLUSTER_ETCD is set");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("invalid VOLANT_NODE_NAME \"" + name
                    + "\": must be a DNS label (a-z, 0-9, '-', 1 to 63 characters, no leading or trailing '-')");
        }
        String nodeUrl = value(env, "VOLANT_NODE_URL");
        if (nodeUrl.isEmpty()) {
            throw new ConfigException("VOLANT_NODE_URL is required when VOLANT_CLUSTER_ETCD is set");
        }
        boolean https = endpoints.getFirst().startsWith("https://");
        if (endpoints.stream().anyMatch(e -> e.startsWith("https://") != https)) {
            throw new ConfigException("invalid VOLANT_CLUSTER_ETCD \"" + String.join(",", endpoints)
                    + "\": mixes http:// and https:// endpoints; use one scheme for all");
        }
        return new ClusterSettings(endpoints, name, url("VOLANT_NODE_URL", nodeUrl), lease(env), labels(env),
                guestRange(env), EtcdTlsFiles.fromEnv(env, https), EtcdUser.fromEnv(env, https));
    }

    private static Subnet guestRange(Map<String, String> env) {
        String v = value(env, "VOLANT_CLUSTER_SUBNETS");
        if (v.isEmpty()) {
            return DEFAULT_GUEST_RANGE;
        }
        Subnet s;
        try {
            s = Subnet.parse(v);
        } catch (ConfigException e) {
            throw new ConfigException("invalid VOLANT_CLUSTER_SUBNETS: " + e.getMessage());
        }
        if (s.prefix() >= NODE_PREFIX) {
            throw new ConfigException("invalid VOLANT_CLUSTER_SUBNETS " + s + ": must be wider than the /" + NODE_PREFIX
                    + " each node takes");
        }
        return s;
    }

    static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null ? "" : v.trim();
    }

    private static String url(String variable, String v) {
        try {
            URI u = new URI(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null || u.getPort() < 1) {
                throw new ConfigException("invalid " + variable + " \"" + v
                        + "\": must be an http(s) URL with host and port, e.g. http://10.0.0.5:2379");
            }
            return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        } catch (URISyntaxException e) {
            throw new ConfigException("invalid " + variable + " \"" + v + "\": " + e.getMessage());
        }
    }

    private static Duration lease(Map<String, String> env) {
        String v = value(env, "VOLANT_CLUSTER_LEASE_SECONDS");
        if (v.isEmpty()) {
            return OFF.leaseTtl();
        }
        try {
            long s = Long.parseLong(v);
            if (s < 2 || s > 3600) {
                throw new ConfigException("invalid VOLANT_CLUSTER_LEASE_SECONDS " + s + ": must be between 2 and 3600");
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid VOLANT_CLUSTER_LEASE_SECONDS \"" + v + "\": must be a whole number of seconds");
        }
    }

    private static Map<String, String> labels(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : value(env, "VOLANT_NODE_LABELS").split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (!LABEL_KEY.matcher(key).matches()) {
                throw new ConfigException("invalid VOLANT_NODE_LABELS entry \"" + pair.trim()
                        + "\": must be key=value with a key of letters, digits, '.', '_', '/', '-'");
            }
            out.put(key, pair.substring(eq + 1).trim());
        }
        return out;
    }
}
