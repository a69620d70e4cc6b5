package io.volant.kestrel.http;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The {@code /v1} surface of a manifest whose workload is {@code http} with a parsable {@code base_url}. Action paths
 * may contain chi-style {@code {param}} segments, which match exactly one non-empty segment.
 */
public record WorkloadRoutes(URI baseUrl, List<ActionRoute> actions) {
    public WorkloadRoutes {
        actions = List.copyOf(actions);
    }

    /** The action for {@code method} and the raw request path (which starts with {@code /v1}). */
    public Optional<ActionRoute> match(String method, String requestPath) {
        for (ActionRoute a : actions) {
            if (a.method().equals(method) && matches("/v1" + a.path(), requestPath)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static boolean matches(String pattern, String path) {
        if (!pattern.contains("{")) {
            return pattern.equals(path);
        }
        String[] p = pattern.split("/", -1);
        String[] s = path.split("/", -1);
        if (p.length != s.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            boolean param = p[i].startsWith("{") && p[i].endsWith("}");
            if (param ? s[i].isEmpty() : !p[i].equals(s[i])) {
                return false;
            }
        }
        return true;
    }
}
