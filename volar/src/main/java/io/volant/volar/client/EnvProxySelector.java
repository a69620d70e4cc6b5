package io.volant.volar.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard proxy variables ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}, upper or lower case), as
 * upstream volar's Go client honours them; the JDK client ignores them by itself. Loopback hosts are always
 * reached directly, as in Go.
 */
public final class EnvProxySelector extends ProxySelector {
    private final Proxy http;
    private final Proxy https;
    private final List<String> noProxy = new ArrayList<>();

    public EnvProxySelector(Map<String, String> env) {
        this.http = proxy(first(env, "HTTP_PROXY", "http_proxy"));
        this.https = proxy(first(env, "HTTPS_PROXY", "https_proxy"));
        for (String e : first(env, "NO_PROXY", "no_proxy").split(",")) {
            String t = e.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                noProxy.add(t.startsWith("*") ? t.substring(1) : t);
            }
        }
    }

    /** @return whether any proxy variable is set (otherwise the client needs no selector) */
    public boolean configured() {
        return http != null || https != null;
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean secure = "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
        Proxy p = secure ? https : http;
        if (p == null || isLoopback(host) || excluded(host)) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(p);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // no fallback: the request fails with the proxy's error
    }

    private boolean excluded(String host) {
        for (String n : noProxy) {
            if (n.equals("*") || n.isEmpty() || host.equals(n) || host.endsWith(n.startsWith(".") ? n : "." + n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static Proxy proxy(String value) {
        if (value.isEmpty()) {
            return null;
        }
        URI u = URI.create(value.contains("://") ? value : "http://" + value);
        int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(), port));
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "";
    }
}
