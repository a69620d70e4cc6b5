package io.volant.volar.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.volar.client.Json;
import io.volant.volar.output.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Reads a manifest for {@code plugins install} and applies the install rewrites (plugins-and-guest.md §1.3, §1.7;
 * api-and-cli.md §5.7 Chosen): relative {@code rootfs.url}, {@code initramfs.url} and {@code disks[].source}
 * become absolute against the manifest's directory (or its URL), and every cloud-init document given by
 * {@code path} is inlined as {@code {"inline":true,"content":...}}. Downloads never carry the volantd API key.
 */
public final class ManifestLoader {
    static final int MANIFEST_LIMIT = 4 * 1024 * 1024;
    static final int DOCUMENT_LIMIT = 1024 * 1024;
    static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> CLOUD_INIT_DOCS = List.of("user_data", "meta_data", "network_config");

    private final Json json;
    private final HttpClient http;
    private final PrintWriter err;
    private final boolean progress;

    /**
     * @param progress draw a download progress bar on {@code err} (only when it is a terminal)
     * @param env      environment variables for the standard proxy settings
     */
    public ManifestLoader(Json json, PrintWriter err, boolean progress, java.util.Map<String, String> env) {
        this.json = json;
        this.err = err;
        this.progress = progress;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL);
        io.volant.volar.client.EnvProxySelector proxies = new io.volant.volar.client.EnvProxySelector(env);
        if (proxies.configured()) {
            b.proxy(proxies);
        }
        this.http = b.build();
    }

    /** @return the rewritten manifest, ready to upload */
    public ObjectNode load(ManifestSource source) {
        byte[] raw = switch (source) {
            case ManifestSource.File f -> readFile(f.path(), MANIFEST_LIMIT, "read manifest");
            case ManifestSource.Url u -> download(u.uri(), MANIFEST_LIMIT, "download manifest");
        };
        JsonNode node;
        try {
            node = json.mapper().readTree(raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("decode manifest: " + firstLine(e.getMessage()), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("decode manifest: the document is not a JSON object");
        }
        ObjectNode m = (ObjectNode) node;
        rewriteUrl(m.path("rootfs"), "url", source);
        rewriteUrl(m.path("initramfs"), "url", source);
        for (JsonNode disk : m.path("disks")) {
            rewriteUrl(disk, "source", source);
        }
        JsonNode ci = m.path("cloud_init");
        for (String doc : CLOUD_INIT_DOCS) {
            JsonNode d = ci.path(doc);
            String path = d.path("path").asText("").trim();
            if (d.isObject() && !path.isEmpty()) {
                String content = readDocument(path, source, "cloud_init." + doc);
                ObjectNode o = (ObjectNode) d;
                o.put("inline", true);
                o.put("content", content);
                o.remove("path");
            }
        }
        return m;
    }

    private static void rewriteUrl(JsonNode holder, String member, ManifestSource source) {
        if (!holder.isObject()) {
            return;
        }
        String v = holder.path(member).asText("").trim();
        if (v.isEmpty() || isAbsoluteReference(v)) {
            return;
        }
        String resolved = switch (source) {
            case ManifestSource.File f -> parentOf(f.path()).resolve(v).normalize().toString();
            case ManifestSource.Url u -> u.uri().resolve(v).toString();
        };
        ((ObjectNode) holder).put(member, resolved);
    }

    private static boolean isAbsoluteReference(String v) {
        String l = v.toLowerCase(Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://") || l.startsWith("file://") || v.startsWith("/");
    }

    private String readDocument(String path, ManifestSource source, String field) {
        byte[] bytes = switch (source) {
            case ManifestSource.File f -> {
                String p = path.startsWith("file://") ? path.substring("file://".length()) : path;
                yield readFile(parentOf(f.path()).resolve(p).normalize(), DOCUMENT_LIMIT, "read " + field);
            }
            case ManifestSource.Url u -> download(u.uri().resolve(path), DOCUMENT_LIMIT, "download " + field);
        };
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Path parentOf(Path file) {
        Path abs = file.toAbsolutePath();
        return abs.getParent() == null ? abs.getRoot() : abs.getParent();
    }

    private static byte[] readFile(Path path, int limit, String what) {
        try {
            if (Files.size(path) > limit) {
                throw new IllegalArgumentException(what + ": " + path + " is " + Files.size(path)
                        + " bytes, limit " + limit);
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + ": " + path + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": " + path + ": " + e.getMessage(), e);
        }
    }

    private byte[] download(URI uri, int limit, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(what + ": only http(s) URLs can be fetched: " + uri);
        }
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET().build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (total > limit) {
                    throw new IllegalArgumentException(what + ": " + uri + " is " + total + " bytes, limit " + limit);
                }
                byte[] body = readLimited(in, limit, total, what + " " + uri);
                if (r.statusCode() >= 300) {
                    throw new IllegalArgumentException(what + " " + uri + ": http " + r.statusCode()
                            + shortBody(new String(body, StandardCharsets.UTF_8).trim()));
                }
                return body;
            }
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IllegalArgumentException(what + ": " + uri + ": no answer within "
                    + DOWNLOAD_TIMEOUT.toSeconds() + "s", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": " + uri + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.volant.volar.client.CliInterruptedException();
        }
    }

    /** A short plain-text body is the reason; an HTML page or a long text is not worth a screenful (row 16). */
    private static String shortBody(String body) {
        String l = body.toLowerCase(Locale.ROOT);
        if (body.isEmpty() || l.startsWith("<!doctype") || l.startsWith("<html") || body.contains("\n")
                || body.length() > 200) {
            return "";
        }
        return ": " + body;
    }

    private byte[] readLimited(InputStream in, int limit, long total, String label) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        try (Progress bar = new Progress(err, progress, label)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw new IllegalArgumentException(label + ": larger than the limit of " + limit + " bytes");
                }
                bar.update(out.size(), total, "bytes");
            }
        }
        return out.toByteArray();
    }

    private static String describe(Throwable e) {
        String found = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                found = t.getMessage();
            }
        }
        return found;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
