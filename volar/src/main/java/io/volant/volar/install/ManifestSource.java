package io.volant.volar.install;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a manifest comes from: a local file (relative references resolve against its absolute directory) or an
 * http(s) URL (they resolve against the URL, RFC 3986).
 */
public sealed interface ManifestSource {
    record File(Path path) implements ManifestSource { }

    record Url(URI uri) implements ManifestSource { }

    /**
     * Chooses the source from the positional argument, {@code --manifest} and {@code --url} (api-and-cli.md §5.7):
     * values are stripped of {@code <...>} wrappers; the positional argument overrides the flag of its kind; a URL
     * wins over a path.
     *
     * @throws IllegalArgumentException when nothing was given
     */
    static ManifestSource choose(String positional, String manifestFlag, String urlFlag, Path cwd) {
        String pos = clean(positional);
        String man = clean(manifestFlag);
        String url = clean(urlFlag);
        String chosenUrl = isUrl(pos) ? pos : isUrl(url) ? url : isUrl(man) ? man : "";
        String chosenPath = !pos.isEmpty() && !isUrl(pos) ? pos : !man.isEmpty() && !isUrl(man) ? man : "";
        if (!chosenUrl.isEmpty()) {
            return new Url(URI.create(chosenUrl));
        }
        if (!url.isEmpty()) {
            throw new IllegalArgumentException("--url must be an http:// or https:// URL: " + url);
        }
        if (!chosenPath.isEmpty()) {
            String p = chosenPath.startsWith("file://") ? chosenPath.substring("file://".length()) : chosenPath;
            return new File(cwd.resolve(p).toAbsolutePath().normalize());
        }
        throw new IllegalArgumentException("provide a manifest via --manifest, --url, or positional argument");
    }

    static boolean isUrl(String s) {
        String l = s.toLowerCase(java.util.Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    /** Drops chat-markup angle brackets ({@code <https://h/m.json>}) and surrounding blanks. */
    static String clean(String s) {
        return s == null ? "" : s.replace("<", "").replace(">", "").trim();
    }
}
