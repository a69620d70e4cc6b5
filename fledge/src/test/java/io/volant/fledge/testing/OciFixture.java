package io.volant.fledge.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.volant.manifest.Checksums;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Writes small OCI image layouts (gzip tar layers, config, manifest, index) for tests; no registry involved. */
public final class OciFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<byte[]> layers = new ArrayList<>();
    private final List<String> diffIds = new ArrayList<>();
    private ObjectNode config = JSON.createObjectNode();

    /** One layer, written through a {@link Layer} builder. */
    public OciFixture layer(Consumer<Layer> body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(buf);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            body.accept(new Layer(tar));
        }
        layers.add(buf.toByteArray());
        try (var in = new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(
                new java.io.ByteArrayInputStream(buf.toByteArray()))) {
            diffIds.add("sha256:" + Checksums.sha256Hex(in.readAllBytes()));
        }
        return this;
    }

    public OciFixture config(List<String> entrypoint, List<String> cmd, List<String> env, String workdir, String port) {
        ObjectNode c = JSON.createObjectNode();
        c.set("Entrypoint", JSON.valueToTree(entrypoint));
        c.set("Cmd", JSON.valueToTree(cmd));
        c.set("Env", JSON.valueToTree(env));
        c.put("WorkingDir", workdir);
        if (port != null) {
            c.putObject("ExposedPorts").putObject(port);
        }
        config = c;
        return this;
    }

    /** Writes the layout to {@code dir} with the manifest tagged {@code tag}. */
    public Path write(Path dir, String tag) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("architecture", "amd64").put("os", "linux");
        cfg.set("config", config);
        ArrayNode diffIdArray = cfg.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        ArrayNode ls = manifest.putArray("layers");
        for (int i = 0; i < layers.size(); i++) {
            byte[] l = layers.get(i);
            String d = blob(dir, l);
            ls.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip").put("digest", d).put("size", l.length);
        }
        diffIds.forEach(diffIdArray::add);
        byte[] cfgBytes = JSON.writeValueAsBytes(cfg);
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", blob(dir, cfgBytes)).put("size", cfgBytes.length);
        byte[] mBytes = JSON.writeValueAsBytes(manifest);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", blob(dir, mBytes)).put("size", mBytes.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return dir;
    }

    private static String blob(Path dir, byte[] b) throws IOException {
        String hex = Checksums.sha256Hex(b);
        Files.write(dir.resolve("blobs/sha256/" + hex), b);
        return "sha256:" + hex;
    }

    /** Tar entry writer for one layer. */
    public static final class Layer {
        private final TarArchiveOutputStream tar;

        Layer(TarArchiveOutputStream tar) {
            this.tar = tar;
        }

        public Layer dir(String name, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040000 | mode);
            return put(e, null);
        }

        public Layer file(String name, int mode, int uid, int gid, String content) {
            return file(name, mode, uid, gid, content, Map.of());
        }

        public Layer file(String name, int mode, int uid, int gid, String content, Map<String, String> xattrs) {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setMode(0100000 | mode);
            e.setSize(b.length);
            e.setIds(uid, gid);
            xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
            return put(e, b);
        }

        public Layer symlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            e.setMode(0120777);
            return put(e, null);
        }

        public Layer hardlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
            e.setLinkName(target);
            return put(e, null);
        }

        public Layer charDevice(String name, int mode, int major, int minor) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
            e.setMode(020000 | mode);
            e.setDevMajor(major);
            e.setDevMinor(minor);
            return put(e, null);
        }

        public Layer whiteout(String name) {
            return file(name, 0644, 0, 0, "");
        }

        private Layer put(TarArchiveEntry e, byte[] data) {
            try {
                tar.putArchiveEntry(e);
                if (data != null) {
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            return this;
        }
    }
}
