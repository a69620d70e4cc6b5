package io.volant.kestrel.workload;

import java.net.URI;

/**
 * Builds workload URLs. Passthrough, actions and health probes all use the same join (plugins-and-guest.md §2.8,
 * K11), so a {@code base_url} with a path prefix works everywhere.
 */
public final class UrlJoin {
    private UrlJoin() {}

    /**
     * The §2.8 join: the base path gets a leading {@code /} and loses trailing slashes; the sub-path loses leading
     * slashes; both empty → {@code /}; base empty → {@code /}+sub; sub empty → base; else base {@code /} sub.
     */
    public static String join(String basePath, String subPath) {
        String base = basePath == null ? "" : basePath;
        if (!base.isEmpty() && !base.startsWith("/")) {
            base = "/" + base;
        }
        base = stripTrailing(base);
        String sub = subPath == null ? "" : subPath.replaceFirst("^/+", "");
        if (base.isEmpty() && sub.isEmpty()) {
            return "/";
        }
        if (base.isEmpty()) {
            return "/" + sub;
        }
        if (sub.isEmpty()) {
            return base;
        }
        return base + "/" + sub;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * {@code base}'s scheme and authority, the joined path (raw, i.e. percent-encoding kept as given) and
     * {@code rawQuery} (the base URL's own query is replaced, as upstream does).
     */
    public static URI target(URI base, String rawSubPath, String rawQuery) {
        String path = join(base.getRawPath(), rawSubPath);
        String query = rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery;
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + query);
    }

    /** The health probe URL: an absolute URL is used as is, anything else is joined onto {@code base}. */
    public static URI healthTarget(URI base, String endpoint) {
        if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
            return URI.create(endpoint);
        }
        int q = endpoint.indexOf('?');
        return q < 0 ? target(base, endpoint, "") : target(base, endpoint.substring(0, q), endpoint.substring(q + 1));
    }
}
