package io.volant.fledge.oci;

import io.volant.fledge.build.BuildContext;
import io.volant.fledge.build.ImageInfo;
import io.volant.fledge.build.Outputs;
import io.volant.fledge.config.FledgeConfig.SourceConfig;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Turns {@code [source]} into an unpacked root: {@code oci:<dir>[:<tag>]} and {@code oci-archive:<tar>[:<tag>]} are
 * read directly; {@code docker-archive:} and registries ({@code docker://}, bare references) go through skopeo into
 * a private OCI layout; a Dockerfile goes through an external builder (§4.10).
 */
public final class ImageSources {
    /** The result of unpacking: workload facts and the metadata recorded for the image makers. */
    public record Unpacked(ImageInfo info, Ownership ownership) {}

    private final BuildContext ctx;

    public ImageSources(BuildContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Unpacks the configured image into {@code root}. {@code preserveOwners} (rootfs) puts owners and device nodes on
     * disk when running as root and writes {@code /etc/fsify-entrypoint}; the initramfs overlay passes false (its
     * archive is all-root) and takes the recorded device nodes from the result.
     */
    public Unpacked unpack(Path root, boolean preserveOwners) {
        SourceConfig src = ctx.config().source();
        Path work = ctx.temps().newDir("fledge-oci-");
        try {
            String ref;
            Path layoutDir;
            String tag;
            if (!src.dockerfile().isEmpty()) {
                layoutDir = new DockerfileBuilder(ctx).build(work.resolve("oci-layout"));
                tag = "latest";
                ref = "";
            } else {
                ref = src.image();
                Layout l = fetch(ref, work);
                layoutDir = l.dir();
                tag = l.tag();
            }
            OciLayout.Image img = new OciLayout(layoutDir).resolve(tag);
            Ownership ownership = new Ownership();
            boolean asRoot = preserveOwners && Privileges.isRoot();
            LayerUnpacker unpacker = new LayerUnpacker(root, ownership, asRoot, ctx.runner(), ctx.temps(), ctx.log());
            for (OciLayout.Layer layer : img.layers()) {
                unpacker.apply(layer.blob());
            }
            unpacker.finish();
            ctx.log().info("image unpacked", "image", ref.isEmpty() ? src.dockerfile() : ref,
                    "layers", img.layers().size(), "digest", img.manifestDigest());
            if (preserveOwners) {
                // §4.9 step 4: the image config, as upstream meant to write it.
                Path etc = new StagingRoot(root).mkdirs("/etc");
                Path cfg = etc.resolve("fsify-entrypoint");
                TempDirs.deleteTree(cfg);
                Files.copy(img.configBlob(), cfg);
                Modes.setMode(cfg, 0644);
                ownership.forget("/etc/fsify-entrypoint");
            }
            return new Unpacked(OciLayout.info(ref, img), ownership);
        } catch (IOException e) {
            throw new FledgeException("failed to unpack image: " + e.getMessage(), e);
        } finally {
            ctx.temps().release(work);
        }
    }

    record Layout(Path dir, String tag) {}

    private Layout fetch(String ref, Path work) {
        if (ref.startsWith("oci:")) {
            String[] pt = pathAndTag(ref.substring(4));
            return new Layout(ctx.workDir().resolve(pt[0]), pt[1]);
        }
        if (ref.startsWith("oci-archive:")) {
            String[] pt = pathAndTag(ref.substring("oci-archive:".length()));
            Path dir = work.resolve("oci-layout");
            extractTar(ctx.workDir().resolve(pt[0]), dir);
            return new Layout(dir, pt[1]);
        }
        Path dir = work.resolve("oci-layout");
        String dest = "oci:" + dir + ":latest";
        if (!ctx.runner().available("skopeo")) {
            throw new FledgeException("image source '" + ref + "' needs skopeo, which is not installed "
                    + "(apt-get install skopeo), or use an oci: or oci-archive: source");
        }
        if (ref.startsWith("docker-archive:")) {
            String path = ref.substring("docker-archive:".length());
            int colon = path.indexOf(':');
            Path abs = ctx.workDir().resolve(colon > 0 ? path.substring(0, colon) : path);
            String suffix = colon > 0 ? path.substring(colon) : "";
            ctx.runner().check(List.of("skopeo", "copy", "--quiet", "docker-archive:" + abs + suffix, dest), null, Map.of());
            return new Layout(dir, "latest");
        }
        String bare = Outputs.stripTransport(ref);
        if (Files.exists(Path.of("/var/run/docker.sock"))) {
            var r = ctx.runner().run(List.of("skopeo", "copy", "--quiet", "docker-daemon:" + bare, dest), null, Map.of());
            if (r.ok()) {
                return new Layout(dir, "latest");
            }
            ctx.log().debug("docker daemon copy failed; trying the registry", "image", bare);
        }
        ctx.runner().check(List.of("skopeo", "copy", "--quiet", "docker://" + bare, dest), null, Map.of());
        return new Layout(dir, "latest");
    }

    /** {@code dir:tag} → [dir, tag]; a colon followed by a slash belongs to the path. */
    static String[] pathAndTag(String s) {
        int c = s.lastIndexOf(':');
        if (c > 0 && s.indexOf('/', c) < 0) {
            return new String[] {s.substring(0, c), s.substring(c + 1)};
        }
        return new String[] {s, ""};
    }

    private static void extractTar(Path tarFile, Path dir) {
        if (!Files.isRegularFile(tarFile)) {
            throw new FledgeException("image archive not found: " + tarFile);
        }
        try (InputStream in = Files.newInputStream(tarFile); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            Files.createDirectories(dir);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String guest = LayerUnpacker.guestPath(e.getName());
                Path out = dir.resolve(guest.substring(1)).normalize();
                if (!out.startsWith(dir)) {
                    throw new FledgeException("archive entry escapes: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out);
                }
            }
        } catch (IOException e) {
            throw new FledgeException("failed to read image archive " + tarFile + ": " + e.getMessage(), e);
        }
    }
}
