package io.volant.fledge.oci;

import io.volant.fledge.config.FledgeConfig.FilesystemConfig;
import io.volant.fledge.initramfs.CpioWriter;
import io.volant.fledge.mapping.Modes;
import io.volant.fledge.util.CommandRunner;
import io.volant.fledge.util.FledgeException;
import io.volant.fledge.util.Log;
import io.volant.fledge.util.TempDirs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * File-system images from an unpacked root, without loop devices or mounts (§4.9 Chosen): squashfs with
 * {@code mksquashfs}, ext4 with {@code mkfs.ext4 -d}, btrfs with {@code mkfs.btrfs --rootdir}. Times are fixed and
 * UUIDs/hash seeds derived from the image name, so the same input gives the same bytes.
 */
public final class FsImages {
    static final String FIXED_TIME_DEBUGFS = "20240101000000";

    private final CommandRunner runner;
    private final TempDirs temps;
    private final Log log;
    private final boolean asRoot;

    public FsImages(CommandRunner runner, TempDirs temps, Log log, boolean asRoot) {
        this.runner = runner;
        this.temps = temps;
        this.log = log;
        this.asRoot = asRoot;
    }

    public void make(FilesystemConfig fs, Path rootfs, Ownership own, Path image, String name) {
        switch (fs.type()) {
            case "squashfs" -> squashfs(fs, rootfs, own, image);
            case "ext4" -> ext4(fs, rootfs, own, image, name);
            case "btrfs" -> btrfs(rootfs, image);
            default -> throw new FledgeException("filesystem type '" + fs.type() + "' is not supported by this "
                    + "fledge (it needs a loop mount); use squashfs or ext4");
        }
    }

    /** xz dictionary size for a compression level (upstream rule). */
    static String dictSize(long level) {
        return level <= 7 ? "25%" : level <= 15 ? "50%" : "100%";
    }

    void squashfs(FilesystemConfig fs, Path rootfs, Ownership own, Path image) {
        require("mksquashfs", "squashfs-tools");
        List<String> argv = new ArrayList<>(List.of("mksquashfs", rootfs.toString(), image.toString(),
                "-comp", "xz", "-Xdict-size", dictSize(fs.compressionLevel()), "-noappend", "-no-progress",
                "-quiet", "-mkfs-time", String.valueOf(CpioWriter.MTIME), "-all-time", String.valueOf(CpioWriter.MTIME)));
        if (!asRoot) {
            if (own.allRoot() && own.specials().isEmpty()) {
                // Every file of the image belongs to root; on disk they belong to the build user.
                argv.add("-all-root");
            } else {
                Path pseudo = temps.newFile("fledge-pseudo-");
                writePseudo(rootfs, own, pseudo);
                argv.addAll(List.of("-pf", pseudo.toString()));
            }
        }
        if (!own.xattrs().isEmpty()) {
            log.warn("extended attributes are not preserved in squashfs images", "files", own.xattrs().size());
        }
        runner.check(argv, null, Map.of());
    }

    /** mksquashfs pseudo definitions: every path's mode and recorded owner, plus recorded device nodes. */
    void writePseudo(Path rootfs, Ownership own, Path pseudo) {
        List<String> lines = new ArrayList<>();
        for (String path : walk(rootfs)) {
            if (path.chars().anyMatch(c -> c <= ' ')) {
                log.warn("owner not recorded for a path with blanks in a squashfs image", "path", path);
                continue;
            }
            Path p = rootfs.resolve(path.substring(1));
            if (Files.isSymbolicLink(p)) {
                continue;
            }
            Ownership.Owner o = own.ownerOf(path);
            lines.add(path + " m " + Integer.toOctalString(Modes.mode(p)) + " " + o.uid() + " " + o.gid());
        }
        own.specials().forEach((path, s) -> {
            Ownership.Owner o = own.ownerOf(path);
            lines.add(s.type() == 'p'
                    ? path + " i " + Integer.toOctalString(s.mode()) + " " + o.uid() + " " + o.gid() + " p"
                    : path + " " + s.type() + " " + Integer.toOctalString(s.mode()) + " " + o.uid() + " " + o.gid()
                            + " " + s.major() + " " + s.minor());
        });
        lines.add("/ m 755 0 0");
        try {
            Files.write(pseudo, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FledgeException("failed to write pseudo file: " + e.getMessage(), e);
        }
    }

    void ext4(FilesystemConfig fs, Path rootfs, Ownership own, Path image, String name) {
        require("mkfs.ext4", "e2fsprogs");
        Stats st = stats(rootfs);
        long bufferMb = fs.sizeBufferMb() > 0 ? fs.sizeBufferMb() : Math.clamp(st.kib() / 1024 / 4, 64, 1024);
        long sizeKib = st.kib() + bufferMb * 1024;
        long inodes = st.files() * 6 / 5 + 1024;
        fixTimes(rootfs);
        try {
            if (fs.preallocate()) {
                runner.check(List.of("fallocate", "-l", String.valueOf(sizeKib * 1024), image.toString()));
            } else {
                try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                    f.setLength(sizeKib * 1024);
                }
            }
        } catch (IOException e) {
            throw new FledgeException("failed to create image file " + image + ": " + e.getMessage(), e);
        }
        String uuid = UUID.nameUUIDFromBytes(("fledge:" + name).getBytes(StandardCharsets.UTF_8)).toString();
        Map<String, String> env = Map.of("E2FSPROGS_FAKE_TIME", String.valueOf(CpioWriter.MTIME));
        runner.check(List.of("mkfs.ext4", "-F", "-q", "-b", "4096", "-N", String.valueOf(inodes), "-U", uuid,
                "-E", "root_owner=0:0,hash_seed=" + uuid + ",lazy_itable_init=0,nodiscard",
                "-d", rootfs.toString(), image.toString(), sizeKib + "k"), null, env);
        debugfsFixups(rootfs, own, image, env);
        log.info("ext4 image created", "size_kib", sizeKib, "inodes", inodes, "files", st.files());
    }

    /**
     * One debugfs pass: fixed inode times (mkfs -d copies the host's ctime), and — without root — the recorded
     * owners, device nodes and xattrs that could not be put on disk.
     */
    private void debugfsFixups(Path rootfs, Ownership own, Path image, Map<String, String> env) {
        List<String> cmds = new ArrayList<>();
        List<String> paths = new ArrayList<>(walk(rootfs));
        paths.add(0, "/");
        for (String path : paths) {
            String q = quote(path);
            for (String field : List.of("atime", "mtime", "ctime", "crtime")) {
                cmds.add("sif " + q + " " + field + " " + FIXED_TIME_DEBUGFS);
            }
            if (!asRoot) {
                Ownership.Owner o = own.ownerOf(path);
                cmds.add("sif " + q + " uid " + o.uid());
                cmds.add("sif " + q + " gid " + o.gid());
            }
        }
        if (!asRoot) {
            own.specials().forEach((path, s) -> {
                String q = quote(path);
                // debugfs links a new node into its cwd by bare name, so change into the parent first.
                int slash = path.lastIndexOf('/');
                cmds.add("cd " + quote(slash == 0 ? "/" : path.substring(0, slash)));
                String name = quote(path.substring(slash + 1));
                cmds.add(s.type() == 'p' ? "mknod " + name + " p" : "mknod " + name + " " + s.type() + " " + s.major() + " " + s.minor());
                cmds.add("cd /");
                int typeBits = s.type() == 'c' ? 0020000 : s.type() == 'b' ? 0060000 : 0010000;
                cmds.add("sif " + q + " mode 0" + Integer.toOctalString(typeBits | s.mode()));
                Ownership.Owner o = own.ownerOf(path);
                cmds.add("sif " + q + " uid " + o.uid());
                cmds.add("sif " + q + " gid " + o.gid());
                for (String field : List.of("atime", "mtime", "ctime", "crtime")) {
                    cmds.add("sif " + q + " " + field + " " + FIXED_TIME_DEBUGFS);
                }
            });
        }
        own.xattrs().forEach((path, attrs) -> attrs.forEach((k, v) -> {
            Path f = temps.newFile("fledge-xattr-");
            try {
                Files.write(f, v);
            } catch (IOException e) {
                throw new FledgeException("failed to stage xattr: " + e.getMessage(), e);
            }
            cmds.add("ea_set -f " + f + " " + quote(path) + " " + k);
        }));
        Path script = temps.newFile("fledge-debugfs-");
        try {
            Files.write(script, cmds, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FledgeException("failed to write debugfs script: " + e.getMessage(), e);
        }
        CommandRunner.Result r = runner.check(List.of("debugfs", "-w", "-f", script.toString(), image.toString()), null, env);
        String err = r.stderr().lines().filter(l -> !l.startsWith("debugfs ")).filter(l -> !l.isBlank())
                .findFirst().orElse("");
        if (!err.isEmpty()) {
            throw new FledgeException("debugfs failed on " + image.getFileName() + ": " + err);
        }
    }

    static String quote(String path) {
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    void btrfs(Path rootfs, Path image) {
        require("mkfs.btrfs", "btrfs-progs");
        fixTimes(rootfs);
        runner.check(List.of("mkfs.btrfs", "-q", "-f", "--rootdir", rootfs.toString(), "--shrink", image.toString()));
    }

    private void require(String tool, String pkg) {
        if (!runner.available(tool)) {
            throw new FledgeException(tool + " not found: install " + pkg);
        }
    }

    record Stats(long kib, long files) {}

    /** {@code du -sk}-like size (4 KiB blocks) and the number of entries. */
    static Stats stats(Path root) {
        long kib = 4;
        long files = 1;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                files++;
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                kib += a.isRegularFile() ? (a.size() + 4095) / 4096 * 4 : a.isDirectory() ? 4 : 0;
            }
        } catch (IOException e) {
            throw new FledgeException("failed to measure " + root + ": " + e.getMessage(), e);
        }
        return new Stats(kib, files);
    }

    /** Sorted guest paths below the root (not the root). */
    static List<String> walk(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> "/" + root.relativize(p)).sorted().toList();
        } catch (IOException e) {
            throw new FledgeException("failed to walk " + root + ": " + e.getMessage(), e);
        }
    }

    /** Sets atime/mtime of every entry to the fixed time without following links (§7 F6). */
    static void fixTimes(Path root) {
        FileTime t = FileTime.fromMillis(CpioWriter.MTIME * 1000);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
            }
        } catch (IOException e) {
            throw new FledgeException("failed to set times under " + root + ": " + e.getMessage(), e);
        }
    }
}
