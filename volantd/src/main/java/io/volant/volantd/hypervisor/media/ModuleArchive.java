package io.volant.volantd.hypervisor.media;

import io.volant.manifest.Checksums;
import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest kernel bundle's module archive (host-runtime.md §9.6 steps 2-5): resolves the requested modules and their
 * dependencies ({@code modules.dep} when present, else each module's ELF {@code .modinfo} {@code depends=}), orders
 * them for loading, and writes a deterministic gzip'd newc archive with the modules under
 * {@code lib/modules/<release>/} and {@code etc/volant/modules.load}. Cached in the cache directory as
 * {@code modules-<sha256 of release, list and file digests>.cpio.gz}.
 */
public final class ModuleArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleArchive.class);

    /**
     * {@code VOLANT_GUEST_MODULES} default (§9.6); {@code button} and {@code evdev} carry the ACPI power button,
     * {@code virtio_console} the template/clone identity port ({@code io.volant.identity}).
     */
    public static final List<String> DEFAULT_MODULES = List.of("virtio_pci", "virtio_blk", "virtio_net",
            "virtio_console", "vmw_vsock_virtio_transport", "vfat", "nls_cp437", "nls_ascii", "nls_iso8859-1", "isofs",
            "squashfs", "overlay", "button", "evdev");

    private ModuleArchive() {}

    /** Module name as the kernel sees it: file name without suffixes, {@code -} as {@code _}. */
    static String moduleName(String file) {
        String n = Path.of(file).getFileName().toString();
        for (String s : List.of(".xz", ".zst", ".gz")) {
            if (n.endsWith(s)) {
                n = n.substring(0, n.length() - s.length());
            }
        }
        if (n.endsWith(".ko")) {
            n = n.substring(0, n.length() - 3);
        }
        return n.replace('-', '_');
    }

    /**
     * The relative module paths (possibly compressed) in load order.
     *
     * @param modulesDir {@code lib/modules/<release>}
     */
    public static List<String> loadOrder(Path modulesDir, List<String> names) throws IOException {
        Map<String, String> pathOf = new TreeMap<>();
        try (Stream<Path> s = Files.walk(modulesDir)) {
            s.filter(Files::isRegularFile).map(p -> modulesDir.relativize(p).toString())
                    .filter(r -> r.matches(".*\\.ko(\\.xz|\\.zst|\\.gz)?$"))
                    .forEach(r -> pathOf.put(moduleName(r), r));
        }
        Set<String> builtin = new LinkedHashSet<>();
        Path builtinFile = modulesDir.resolve("modules.builtin");
        if (Files.isRegularFile(builtinFile)) {
            Files.readAllLines(builtinFile).forEach(l -> builtin.add(moduleName(l.trim())));
        }
        Map<String, List<String>> dep = null;
        Path depFile = modulesDir.resolve("modules.dep");
        if (Files.isRegularFile(depFile)) {
            dep = new LinkedHashMap<>();
            for (String line : Files.readAllLines(depFile)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    String rest = line.substring(colon + 1).trim();
                    dep.put(line.substring(0, colon).trim(), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
                }
            }
        }
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim().replace('-', '_');
            if (name.isEmpty() || builtin.contains(name)) {
                continue;
            }
            String rel = pathOf.get(name);
            if (rel == null) {
                LOG.warn("guest module {} not found in {}", raw.trim(), modulesDir);
                continue;
            }
            if (dep != null) {
                // modules.dep lists the full transitive closure, last entry loaded first.
                List<String> ds = new ArrayList<>(dep.getOrDefault(rel, List.of()));
                java.util.Collections.reverse(ds);
                order.addAll(ds);
                order.add(rel);
            } else {
                addDepthFirst(modulesDir, rel, pathOf, builtin, order, new LinkedHashSet<>());
            }
        }
        return List.copyOf(order);
    }

    private static void addDepthFirst(Path dir, String rel, Map<String, String> pathOf, Set<String> builtin,
            LinkedHashSet<String> order, Set<String> visiting) throws IOException {
        if (order.contains(rel) || !visiting.add(rel)) {
            return;
        }
        for (String d : depends(dir.resolve(rel))) {
            String n = d.replace('-', '_');
            String drel = pathOf.get(n);
            if (drel != null && !builtin.contains(n)) {
                addDepthFirst(dir, drel, pathOf, builtin, order, visiting);
            }
        }
        order.add(rel);
    }

    /** The {@code depends=} entry of a module's {@code .modinfo} ELF section (direct dependencies). */
    static List<String> depends(Path module) throws IOException {
        byte[] elf = plain(module);
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || elf[0] != 0x7F || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) {
            throw new IOException(module + " is not an ELF64 module");
        }
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3A) & 0xFFFF;
        int shnum = b.getShort(0x3C) & 0xFFFF;
        int shstrndx = b.getShort(0x3E) & 0xFFFF;
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            int nameOff = b.getInt(sh);
            if (!cstring(elf, (int) (strOff + nameOff)).equals(".modinfo")) {
                continue;
            }
            int off = (int) b.getLong(sh + 0x18);
            int size = (int) b.getLong(sh + 0x20);
            for (String kv : new String(elf, off, size, StandardCharsets.UTF_8).split("\0")) {
                if (kv.startsWith("depends=")) {
                    String v = kv.substring("depends=".length()).trim();
                    return v.isEmpty() ? List.of() : List.of(v.split(","));
                }
            }
            return List.of();
        }
        return List.of();
    }

    private static String cstring(byte[] b, int off) {
        int end = off;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** A module's bytes, decompressed ({@code .gz} in-process; {@code .xz}/{@code .zst} through the CLI tools). */
    static byte[] plain(Path module) throws IOException {
        String n = module.getFileName().toString();
        if (n.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(module))) {
                return in.readAllBytes();
            }
        }
        if (n.endsWith(".xz") || n.endsWith(".zst")) {
            List<String> argv = n.endsWith(".xz") ? List.of("xz", "-dc", module.toString())
                    : List.of("zstd", "-qdc", module.toString());
            Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            try {
                if (p.waitFor() != 0) {
                    throw new IOException(String.join(" ", argv) + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return out;
        }
        return Files.readAllBytes(module);
    }

    private static String plainName(String rel) {
        for (String s : List.of(".xz", ".zst", ".gz")) {
            if (rel.endsWith(s)) {
                return rel.substring(0, rel.length() - s.length());
            }
        }
        return rel;
    }

    /**
     * Builds (or reuses) the archive for {@code names} from {@code modulesDir} in {@code cacheDir}.
     *
     * @return the cached {@code modules-<hex>.cpio.gz}
     */
    public static Path build(Path modulesDir, List<String> names, Path cacheDir) {
        try {
            String release = modulesDir.toAbsolutePath().normalize().getFileName().toString();
            List<String> order = loadOrder(modulesDir, names);
            MessageDigest key = Checksums.newSha256();
            key.update((release + "\n" + String.join(",", names) + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (String rel : order) {
                byte[] data = plain(modulesDir.resolve(rel));
                files.put(plainName(rel), data);
                key.update((plainName(rel) + "=" + Checksums.sha256Hex(data) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Path out = cacheDir.resolve("modules-" + Checksums.hex(key) + ".cpio.gz");
            if (Files.isRegularFile(out)) {
                return out;
            }
            Files.createDirectories(cacheDir);
            Path part = out.resolveSibling(out.getFileName() + ".part");
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(part))) {
                writeNewc(o, release, files);
            }
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("guest module archive built release={} modules={} file={}", release, order.size(), out);
            return out;
        } catch (IOException e) {
            throw new HypervisorException("guest module archive from " + modulesDir + ": " + e.getMessage(), e);
        }
    }

    /** Deterministic newc (Commons Compress): directories, modules (0644), {@code etc/volant/modules.load}, trailer. */
    static void writeNewc(OutputStream o, String release, Map<String, byte[]> modules) throws IOException {
        Set<String> dirs = new LinkedHashSet<>(List.of("etc", "etc/volant", "lib", "lib/modules",
                "lib/modules/" + release));
        for (String rel : modules.keySet()) {
            Path p = Path.of("lib/modules", release, rel).getParent();
            List<String> chain = new ArrayList<>();
            for (; p != null; p = p.getParent()) {
                chain.addFirst(p.toString());
            }
            dirs.addAll(chain);
        }
        // Block size 4: no padding after the trailer, the archive is concatenated in front of an initramfs.
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(o, CpioConstants.FORMAT_NEW, 4,
                StandardCharsets.UTF_8.name());
        int ino = 1;
        for (String d : dirs) {
            entry(cpio, ino++, d, CpioConstants.C_ISDIR | 0755, new byte[0]);
        }
        StringBuilder load = new StringBuilder();
        for (Map.Entry<String, byte[]> m : modules.entrySet()) {
            entry(cpio, ino++, "lib/modules/" + release + "/" + m.getKey(), CpioConstants.C_ISREG | 0644, m.getValue());
            load.append(m.getKey()).append('\n');
        }
        entry(cpio, ino, "etc/volant/modules.load", CpioConstants.C_ISREG | 0644,
                load.toString().getBytes(StandardCharsets.UTF_8));
        cpio.finish();
    }

    private static void entry(CpioArchiveOutputStream cpio, int ino, String name, int mode, byte[] data)
            throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, data.length);
        e.setMode(mode);
        e.setInode(ino);
        e.setTime(0);
        e.setNumberOfLinks((mode & CpioConstants.C_ISDIR) == CpioConstants.C_ISDIR ? 2 : 1);
        cpio.putArchiveEntry(e);
        cpio.write(data);
        cpio.closeArchiveEntry();
    }
}
