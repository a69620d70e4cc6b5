package io.volant.fledge.oci;

import io.volant.fledge.mapping.Modes;
import io.volant.fledge.mapping.StagingRoot;
import io.volant.fledge.util.CommandRunner;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Applies OCI layers to a root directory: whiteouts ({@code .wh.<name>}) and opaque dirs ({@code .wh..wh..opq}),
 * modes incl. setuid, hard links, symlinks as links, owners (lchown as root, else recorded), device nodes
 * ({@code mknod} as root, else recorded) and xattrs (recorded) — §7 F13. Every path stays inside the root.
 */
public final class LayerUnpacker {
    private static final String WH = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Path root;
    private final StagingRoot staging;
    private final Ownership ownership;
    private final boolean asRoot;
    private final CommandRunner runner;
    private final TempDirs temps;
    private final Log log;
    private final Map<String, Integer> dirModes = new TreeMap<>();

    public LayerUnpacker(Path root, Ownership ownership, boolean asRoot, CommandRunner runner, TempDirs temps, Log log) {
        this.root = root;
        this.staging = new StagingRoot(root);
        this.ownership = ownership;
        this.asRoot = asRoot;
        this.runner = runner;
        this.temps = temps;
        this.log = log;
    }

    /** Applies one layer blob (gzip, zstd or plain tar, detected by magic). */
    public void apply(Path blob) {
        temps.checkAborted();
        Path plain = null;
        try {
            if (isZstd(blob)) {
                plain = temps.newFile("fledge-layer-");
                runner.check(List.of("zstd", "-q", "-d", "-f", "-o", plain.toString(), blob.toString()));
            }
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(plain != null ? plain : blob));
                 InputStream in = decompress(raw);
                 TarArchiveInputStream tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name())) {
                Set<String> thisLayer = new HashSet<>();
                List<String> opaque = new ArrayList<>();
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    entry(e, tar, thisLayer, opaque);
                }
                for (String dir : opaque) {
                    clearExcept(dir, thisLayer);
                }
            }
        } catch (IOException e) {
            throw new FledgeException("failed to unpack layer " + blob.getFileName() + ": " + e.getMessage(), e);
        } finally {
            if (plain != null) {
                temps.release(plain);
            }
        }
    }

    /** Directory modes are applied last, so a read-only directory does not block later writes into it. */
    public void finish() {
        List<String> dirs = new ArrayList<>(dirModes.keySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path p = root.resolve(dirs.get(i).substring(1));
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Modes.setMode(p, dirModes.get(dirs.get(i)));
            }
        }
    }

    private void entry(TarArchiveEntry e, InputStream data, Set<String> thisLayer, List<String> opaque)
            throws IOException {
        String guest = guestPath(e.getName());
        if (guest.equals("/")) {
            dirModes.put("/", e.getMode() & 07777);
            return;
        }
        String name = guest.substring(guest.lastIndexOf('/') + 1);
        String parentGuest = guest.substring(0, guest.lastIndexOf('/'));
        if (name.equals(OPAQUE)) {
            opaque.add(parentGuest.isEmpty() ? "/" : parentGuest);
            return;
        }
        Path parent = staging.mkdirs(parentGuest);
        if (name.startsWith(WH)) {
            String victim = parentGuest + "/" + name.substring(WH.length());
            TempDirs.deleteTree(parent.resolve(name.substring(WH.length())));
            ownership.forget(victim);
            return;
        }
        Path dst = parent.resolve(name);
        String canonical = "/" + root.relativize(dst);
        thisLayer.add(canonical);
        if (e.isDirectory()) {
            if (!Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                TempDirs.deleteTree(dst);
                Files.createDirectory(dst);
            }
            Modes.setMode(dst, 0755);
            dirModes.put(canonical, e.getMode() & 07777);
        } else {
            if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                TempDirs.deleteTree(dst);
            } else {
                Files.deleteIfExists(dst);
            }
            ownership.forget(canonical);
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(dst, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                String target = guestPath(e.getLinkName());
                Path t = staging.resolveParentFollowing(target);
                if (!Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FledgeException("hard link " + guest + " points at missing " + target);
                }
                Files.createLink(dst, t);
                // Same inode: a replayed owner for either name must be the target's, or the last one wins.
                String targetCanonical = "/" + root.relativize(t);
                Ownership.Owner o = ownership.owners().get(targetCanonical);
                if (o != null) {
                    ownership.owner(canonical, o.uid(), o.gid());
                }
                Map<String, byte[]> attrs = ownership.xattrs().get(targetCanonical);
                if (attrs != null) {
                    attrs.forEach((k, v) -> ownership.xattr(canonical, k, v));
                }
                return;
            } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                special(e, dst, canonical);
                return;
            } else if (e.isFile()) {
                Files.copy(data, dst);
                Modes.setMode(dst, e.getMode() & 07777);
            } else {
                log.debug("layer entry skipped", "path", guest, "type", String.valueOf(e.getMode() >> 12));
                return;
            }
        }
        owner(e, dst, canonical);
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            if (h.getKey().startsWith("SCHILY.xattr.")) {
                ownership.xattr(canonical, h.getKey().substring("SCHILY.xattr.".length()),
                        h.getValue().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    private void owner(TarArchiveEntry e, Path dst, String canonical) throws IOException {
        int uid = (int) e.getLongUserId();
        int gid = (int) e.getLongGroupId();
        if (uid != 0 || gid != 0) {
            ownership.owner(canonical, uid, gid);
        }
        if (asRoot) {
            Files.setAttribute(dst, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dst, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            // chown clears setuid/setgid: put the mode back (directories get theirs in finish()).
            if (Files.isRegularFile(dst, LinkOption.NOFOLLOW_LINKS) || e.isCharacterDevice() || e.isBlockDevice()
                    || e.isFIFO()) {
                Modes.setMode(dst, e.getMode() & 07777);
            }
        }
    }

    private void special(TarArchiveEntry e, Path dst, String canonical) throws IOException {
        char type = e.isCharacterDevice() ? 'c' : e.isBlockDevice() ? 'b' : 'p';
        int mode = e.getMode() & 07777;
        if (asRoot) {
            List<String> argv = new ArrayList<>(List.of("mknod", "-m", Integer.toOctalString(mode), dst.toString(),
                    String.valueOf(type)));
            if (type != 'p') {
                argv.add(String.valueOf(e.getDevMajor()));
                argv.add(String.valueOf(e.getDevMinor()));
            }
            runner.check(argv);
            owner(e, dst, canonical);
        } else {
            ownership.special(canonical, new Ownership.Special(type, mode, e.getDevMajor(), e.getDevMinor()));
            int uid = (int) e.getLongUserId();
            int gid = (int) e.getLongGroupId();
            if (uid != 0 || gid != 0) {
                ownership.owner(canonical, uid, gid);
            }
        }
    }

    /** Opaque directory: remove what lower layers put there, keep what this layer added. */
    private void clearExcept(String dirGuest, Set<String> keep) throws IOException {
        Path dir = staging.resolveDirectory(dirGuest);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.toList();
        }
        for (Path c : children) {
            String g = "/" + root.relativize(c);
            if (!keep.contains(g)) {
                if (keep.stream().anyMatch(k -> k.startsWith(g + "/"))) {
                    clearExcept(g, keep);
                } else {
                    TempDirs.deleteTree(c);
                    ownership.forget(g);
                }
            }
        }
    }

    /** {@code ./a/b} → {@code /a/b}; a {@code ..} component is an error (no escape from the root). */
    static String guestPath(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new FledgeException("layer entry escapes the image root: " + name);
            }
            parts.add(p);
        }
        return "/" + String.join("/", parts);
    }

    private static boolean isZstd(Path blob) throws IOException {
        try (InputStream in = Files.newInputStream(blob)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
                    && (m[3] & 0xff) == 0xfd;
        }
    }

    private static InputStream decompress(InputStream in) throws IOException {
        in.mark(2);
        int a = in.read();
        int b = in.read();
        in.reset();
        if (a == 0x1f && b == 0x8b) {
            return new GzipCompressorInputStream(in, true);
        }
        return in;
    }
}
