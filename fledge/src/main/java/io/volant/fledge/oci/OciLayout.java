package io.volant.fledge.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.fledge.build.ImageInfo;
import io.volant.fledge.util.FledgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an OCI image layout: {@code index.json} → (nested index →) image manifest → config and layers (§4.9 Chosen
 * config extraction: the manifest blob's {@code config.digest}, not a member index entries lack).
 */
public final class OciLayout {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Layer(String mediaType, Path blob) {}

    public record Image(String manifestDigest, Path configBlob, JsonNode config, List<Layer> layers) {}

    private final Path dir;

    public OciLayout(Path dir) {
        this.dir = dir;
    }

    /** Resolves {@code tag} (empty: the only manifest, else {@code latest}). */
    public Image resolve(String tag) {
        if (!Files.isRegularFile(dir.resolve("index.json"))) {
            throw new FledgeException("not an OCI image layout (no index.json): " + dir);
        }
        JsonNode index = read(dir.resolve("index.json"));
        JsonNode desc = pick(index.path("manifests"), tag);
        for (int depth = 0; depth < 4; depth++) {
            String mt = desc.path("mediaType").asText("");
            if (mt.contains("index") || mt.contains("manifest.list")) {
                desc = platform(read(blob(desc.path("digest").asText())).path("manifests"));
                continue;
            }
            break;
        }
        String digest = desc.path("digest").asText("");
        JsonNode manifest = read(blob(digest));
        Path configBlob = blob(manifest.path("config").path("digest").asText(""));
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : manifest.path("layers")) {
            layers.add(new Layer(l.path("mediaType").asText(""), blob(l.path("digest").asText(""))));
        }
        return new Image(digest, configBlob, read(configBlob), layers);
    }

    private JsonNode pick(JsonNode manifests, String tag) {
        if (!manifests.isArray() || manifests.isEmpty()) {
            throw new FledgeException("OCI layout " + dir + " has no manifests");
        }
        String want = tag.isEmpty() ? "latest" : tag;
        for (JsonNode m : manifests) {
            if (want.equals(m.path("annotations").path(REF_NAME).asText())) {
                return m;
            }
        }
        if (tag.isEmpty() && manifests.size() == 1) {
            return manifests.get(0);
        }
        throw new FledgeException("tag '" + want + "' not found in OCI layout " + dir);
    }

    private static JsonNode platform(JsonNode manifests) {
        for (JsonNode m : manifests) {
            JsonNode p = m.path("platform");
            if ("linux".equals(p.path("os").asText()) && "amd64".equals(p.path("architecture").asText())) {
                return m;
            }
        }
        if (manifests.isArray() && !manifests.isEmpty()) {
            return manifests.get(0);
        }
        throw new FledgeException("OCI index lists no manifests");
    }

    /** Blob path for a {@code sha256:<hex>} digest; the digest must be well-formed and the blob must exist. */
    public Path blob(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || !digest.substring(colon + 1).matches("[0-9a-f]{32,128}")) {
            throw new FledgeException("invalid digest in OCI layout " + dir + ": '" + digest + "'");
        }
        Path p = dir.resolve("blobs").resolve(digest.substring(0, colon)).resolve(digest.substring(colon + 1));
        if (!Files.isRegularFile(p)) {
            throw new FledgeException("missing blob " + digest + " in OCI layout " + dir);
        }
        return p;
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new FledgeException("invalid JSON in " + p + ": " + e.getMessage(), e);
        }
    }

    /** Entrypoint+Cmd, Env, WorkingDir and the lowest exposed TCP port of an image config. */
    public static ImageInfo info(String image, Image img) {
        JsonNode c = img.config().path("config");
        List<String> argv = new ArrayList<>();
        c.path("Entrypoint").forEach(n -> argv.add(n.asText()));
        c.path("Cmd").forEach(n -> argv.add(n.asText()));
        Map<String, String> env = new TreeMap<>();
        for (JsonNode e : c.path("Env")) {
            String kv = e.asText();
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        int port = 0;
        for (Iterator<String> it = c.path("ExposedPorts").fieldNames(); it.hasNext(); ) {
            String p = it.next();
            String[] parts = p.split("/");
            if (parts.length == 1 || "tcp".equals(parts[1])) {
                try {
                    int n = Integer.parseInt(parts[0]);
                    port = port == 0 ? n : Math.min(port, n);
                } catch (NumberFormatException ignored) {
                    // a malformed key is not a port
                }
            }
        }
        return new ImageInfo(image, img.manifestDigest(), argv, env, c.path("WorkingDir").asText(""), port);
    }
}
