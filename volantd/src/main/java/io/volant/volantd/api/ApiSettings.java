package io.volant.volantd.api;

import io.volant.volantd.network.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Middleware settings read once at start-up (api-and-cli.md §3, §4.2). Validation happens here, so an invalid
 * entry stops start-up with the message of §3.4 ({@code invalid CIDR in VOLANT_API_ALLOW_CIDR: <entry>}).
 *
 * @param apiKey          {@code VOLANT_API_KEY}; empty = no key
 * @param allowCidrs      {@code VOLANT_API_ALLOW_CIDR}; empty = default source policy (loopback only)
 * @param trustedProxies  {@code VOLANT_TRUSTED_PROXIES}: peers whose {@code X-Forwarded-For} is believed
 * @param corsOrigins     {@code VOLANT_CORS_ORIGINS}; empty = CORS off; {@code *} = any origin
 * @param guestAccessFull {@code VOLANT_API_GUEST_ACCESS=full} disables the guest rule
 * @param guestSubnet     {@code VOLANT_SUBNET}: the guests' network
 * @param hostIp          {@code VOLANT_HOST_IP}: the host's own address in that subnet (not a guest)
 * @param tls             {@code VOLANT_TLS_*}: serve HTTPS (and require client certificates) when set
 */
public record ApiSettings(
        String apiKey,
        List<Cidr> allowCidrs,
        List<Cidr> trustedProxies,
        List<String> corsOrigins,
        boolean guestAccessFull,
        Cidr guestSubnet,
        String hostIp,
        io.volant.volantd.config.TlsFiles tls) {

    public ApiSettings {
        apiKey = apiKey == null ? "" : apiKey;
        allowCidrs = List.copyOf(allowCidrs);
        trustedProxies = List.copyOf(trustedProxies);
        corsOrigins = List.copyOf(corsOrigins);
        tls = tls == null ? io.volant.volantd.config.TlsFiles.none() : tls;
    }

    /** Defaults of a loopback-only daemon on the default subnet. */
    public static ApiSettings defaults() {
        return new ApiSettings("", List.of(), List.of(), List.of(), false, Cidr.parse("192.168.127.0/24"),
                "192.168.127.1", null);
    }

    /**
     * Reads the middleware variables; empty values count as unset. Throws {@link IllegalArgumentException} with
     * the user-facing message on invalid values.
     */
    public static ApiSettings fromEnv(Map<String, String> env, String subnet, String hostIp) {
        String guest = value(env, "VOLANT_API_GUEST_ACCESS");
        if (!guest.isEmpty() && !guest.equals("full") && !guest.equals("restricted")) {
            throw new IllegalArgumentException(
                    "invalid VOLANT_API_GUEST_ACCESS \"" + guest + "\" (expected restricted or full)");
        }
        List<String> origins = new ArrayList<>();
        for (String o : value(env, "VOLANT_CORS_ORIGINS").split(",")) {
            if (!o.isBlank()) {
                origins.add(o.trim());
            }
        }
        return new ApiSettings(
                env.getOrDefault("VOLANT_API_KEY", ""),
                Cidr.parseList(value(env, "VOLANT_API_ALLOW_CIDR"), "VOLANT_API_ALLOW_CIDR"),
                Cidr.parseList(value(env, "VOLANT_TRUSTED_PROXIES"), "VOLANT_TRUSTED_PROXIES"),
                origins,
                guest.equals("full"),
                Cidr.parse(subnet),
                hostIp, null);
    }

    /** From the core's validated configuration; CIDR lists are checked here (exit 1 on an invalid entry). */
    public static ApiSettings fromConfig(io.volant.volantd.config.VolantdConfig c) {
        return new ApiSettings(c.apiKey(),
                Cidr.parseList(String.join(",", c.apiAllowCidr()), "VOLANT_API_ALLOW_CIDR"),
                Cidr.parseList(String.join(",", c.trustedProxies()), "VOLANT_TRUSTED_PROXIES"),
                c.corsOrigins().stream().map(String::trim).filter(o -> !o.isEmpty()).toList(),
                "full".equals(c.apiGuestAccess()),
                Cidr.parse(c.subnet().toString()),
                c.hostIp(), c.tls());
    }

    public boolean keyRequired() {
        return !apiKey.isEmpty();
    }

    public boolean corsEnabled() {
        return !corsOrigins.isEmpty();
    }

    public ApiSettings withApiKey(String key) {
        return new ApiSettings(key, allowCidrs, trustedProxies, corsOrigins, guestAccessFull, guestSubnet, hostIp, tls);
    }

    public ApiSettings withAllowCidrs(List<Cidr> cidrs) {
        return new ApiSettings(apiKey, cidrs, trustedProxies, corsOrigins, guestAccessFull, guestSubnet, hostIp, tls);
    }

    public ApiSettings withTrustedProxies(List<Cidr> cidrs) {
        return new ApiSettings(apiKey, allowCidrs, cidrs, corsOrigins, guestAccessFull, guestSubnet, hostIp, tls);
    }

    public ApiSettings withCorsOrigins(List<String> origins) {
        return new ApiSettings(apiKey, allowCidrs, trustedProxies, origins, guestAccessFull, guestSubnet, hostIp, tls);
    }

    public ApiSettings withTls(io.volant.volantd.config.TlsFiles files) {
        return new ApiSettings(apiKey, allowCidrs, trustedProxies, corsOrigins, guestAccessFull, guestSubnet, hostIp,
                files);
    }

    private static String value(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null ? "" : v.trim();
    }
}
