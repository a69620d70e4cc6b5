package io.volant.fledge.mapping;

import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** File mappings (§4.7): prepare (resolve sources, compute modes) and apply into a {@link StagingRoot}. */
public final class Mappings {
    /** One prepared mapping; {@code mode} is the mode of the top-level file (directories: 0755). */
    public record Entry(Path source, String destination, int mode, boolean directory) {}

    private final Log log;

    public Mappings(Log log) {
        this.log = log;
    }

    /** Resolves sources against {@code workDir}; sorted by destination so parents apply before children. */
    public List<Entry> prepare(Map<String, String> mappings, Path workDir) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, String> m : mappings.entrySet()) {
            Path src = workDir.resolve(m.getKey()).normalize();
            if (!Files.exists(src)) {
                throw new FledgeException("source file does not exist: " + src);
            }
            boolean dir = Files.isDirectory(src);
            out.add(new Entry(src, m.getValue(), FileModes.determine(m.getValue(), dir, Modes.mode(src)), dir));
        }
        out.sort(Comparator.comparing(Entry::destination).thenComparing(e -> e.source().toString()));
        return out;
    }

    /** Applies prepared entries in order; every write is confined to the staging root. */
    public void apply(List<Entry> entries, StagingRoot root, TempDirs temps) {
        for (Entry e : entries) {
            temps.checkAborted();
            log.debug("mapping", "source", e.source(), "destination", e.destination(), "mode", Integer.toOctalString(e.mode()));
            if (e.directory()) {
                copyDirectory(e.source(), e.destination(), root);
            } else {
                copyFile(e.source(), root.resolveParentFollowingCreating(e.destination()), e.mode());
            }
        }
    }

    /**
     * Copies a regular file: parents created (0755), an existing file or link at the target replaced (never
     * written through), mode set explicitly so the result does not depend on the umask.
     */
    public static void copyFile(Path src, Path dst, int mode) {
        try {
            Path parent = dst.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                createDirs(parent);
            }
            if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                throw new FledgeException("cannot map file " + src + " onto directory " + dst);
            }
            Files.deleteIfExists(dst);
            Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            Modes.setMode(dst, mode);
        } catch (IOException e) {
            throw new FledgeException("failed to copy " + src + " to " + dst + ": " + e.getMessage(), e);
        }
    }

    /** Recursive directory copy into the staging tree; symlinks are recreated (Chosen), never followed. */
    public static void copyDirectory(Path src, String destination, StagingRoot root) {
        root.mkdirs(destination);
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = s.sorted().toList();
        } catch (IOException e) {
            throw new FledgeException("failed to read directory " + src + ": " + e.getMessage(), e);
        }
        for (Path p : all) {
            if (p.equals(src)) {
                continue;
            }
            String guest = join(destination, src.relativize(p).toString());
            try {
                if (Files.isSymbolicLink(p)) {
                    Path dst = root.resolveParentFollowingCreating(guest);
                    if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                        TempDirs.deleteTree(dst);
                    }
                    Files.deleteIfExists(dst);
                    Files.createSymbolicLink(dst, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Modes.setMode(root.mkdirs(guest), 0755);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    copyFile(p, root.resolveParentFollowingCreating(guest), FileModes.determine(guest, false, Modes.mode(p)));
                }
            } catch (IOException e) {
                throw new FledgeException("failed to copy " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /** Host-only directory copy (AC-M12): {@code src} contents land in {@code dst}. */
    public static void copyDirectory(Path src, Path dst) {
        try {
            Files.createDirectories(dst);
        } catch (IOException e) {
            throw new FledgeException("failed to create " + dst + ": " + e.getMessage(), e);
        }
        copyDirectory(src, "/", new StagingRoot(dst));
    }

    /** {@code mkdir -p} with 0755 for every directory it creates. */
    static void createDirs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            createDirs(dir.getParent());
        }
        Files.createDirectory(dir);
        Modes.setMode(dir, 0755);
    }

    static String join(String base, String rel) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + "/" + rel.replace('\\', '/');
    }
}
