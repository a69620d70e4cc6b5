package io.volant.volar.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One clear line per server failure (issue 17 rows 16, 24): the resource a 404 is about by kind and name, what to
 * do about a 401, no internal prefixes ({@code orchestrator:}, {@code vmconfig: decode:}), no HTML pages.
 */
public final class Problems {
    /** {@code /api/v1/<kind>/<name>[/...]}, with artifacts one level down. */
    private static final Pattern RESOURCE = Pattern.compile(
            "^/(?:api|ws)/v1/(vms|plugins|deployments)/([^/?]+)(?:/artifacts/([^/?]+))?(?:[/?].*)?$");
    /** Package-style prefixes of volantd's internal layers; what follows them is the message. */
    private static final Pattern INTERNAL = Pattern.compile("^(?:(?:orchestrator|vmconfig|registry|store|deployment"
            + "|engine)(?:: decode)?: )+");

    /** volantd's not-found messages start with the kind of thing that is missing. */
    private static final Pattern NOT_FOUND = Pattern.compile("(?i)^(vm|plugin|deployment|artifact)\\b.*not found(: .*)?$");

    private Problems() {}

    public static String describe(ApiException e) {
        if (e.status() == 401) {
            return e.keySent() ? "API key rejected by volantd (check VOLANT_API_KEY or --api-key)"
                    : "API key required (set VOLANT_API_KEY or --api-key)";
        }
        if (e.html()) {
            return "volantd answered HTTP " + e.status() + " with an HTML page for " + e.path()
                    + " (is --api the address of volantd?)";
        }
        String message = INTERNAL.matcher(e.getMessage()).replaceFirst("");
        Matcher nf = NOT_FOUND.matcher(message);
        if (e.status() == 404 && nf.matches()) {
            String subject = subject(e.path(), nf.group(1).toLowerCase(Locale.ROOT));
            if (!subject.isEmpty()) {
                return subject + " not found";
            }
        }
        return message + " (HTTP " + e.status() + ")";
    }

    /**
     * @param kind what the server says is missing: vm, plugin, deployment or artifact
     * @return {@code VM web1}, {@code plugin caddy}, {@code artifact rootfs of plugin caddy}; "" when the path does
     *     not name a thing of that kind
     */
    static String subject(String path, String kind) {
        Matcher m = RESOURCE.matcher(path == null ? "" : path);
        if (!m.matches()) {
            return "";
        }
        String name = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        return switch (kind) {
            case "vm" -> m.group(1).equals("vms") ? "VM " + name : "";
            case "plugin" -> m.group(1).equals("plugins") ? "plugin " + name : "";
            case "deployment" -> m.group(1).equals("deployments") ? "deployment " + name : "";
            default -> m.group(3) != null
                    ? "artifact " + URLDecoder.decode(m.group(3), StandardCharsets.UTF_8) + " of plugin " + name : "";
        };
    }
}
