package io.volant.fledge.initramfs;

import io.volant.fledge.mapping.Modes;
import io.volant.fledge.util.FledgeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Reproducible SVR4 {@code newc} archives (§4.8 Chosen): entries sorted by name, no leading {@code ./}, uid/gid 0,
 * mtime {@value #MTIME}, inode numbers in sorted order, symlinks stored as links, device nodes as nodes; gzip with
 * no name, mtime 0, level 9. The same tree always yields the same bytes, whatever the host's owners and times.
 */
public final class CpioWriter {
    /** 2024-01-01T00:00:00Z. */
    public static final long MTIME = 1704067200L;

    private CpioWriter() {}

    /** Every entry below {@code root} (not the root itself), never following symlinks. */
    public static List<CpioEntry> scan(Path root) {
        List<CpioEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.add(CpioEntry.symlink(name, Files.readSymbolicLink(p).toString()));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(CpioEntry.directory(name, Modes.mode(p)));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(CpioEntry.file(name, Modes.mode(p), p));
                } else {
                    throw new FledgeException("unsupported file type in staging tree: /" + name);
                }
            }
        } catch (IOException e) {
            throw new FledgeException("failed to scan " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes the sorted archive (with trailer) to {@code out}; the stream is finished, not closed. */
    public static void write(List<CpioEntry> entries, OutputStream out) throws IOException {
        List<CpioEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(CpioEntry::name));
        Set<String> names = new HashSet<>();
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(nonClosing(out), CpioConstants.FORMAT_NEW,
                512, StandardCharsets.UTF_8.name());
        long inode = 1;
        for (CpioEntry e : sorted) {
            String name = normalize(e.name());
            if (!names.add(name)) {
                throw new FledgeException("duplicate archive entry: " + name);
            }
            byte[] data = switch (e.kind()) {
                case SYMLINK -> e.linkTarget().getBytes(StandardCharsets.UTF_8);
                case FILE -> e.bytes();
                default -> new byte[0];
            };
            long size = e.kind() == CpioEntry.Kind.FILE && e.file() != null ? Files.size(e.file()) : data.length;
            CpioArchiveEntry a = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, size);
            a.setMode(typeBits(e.kind()) | (e.mode() & 07777));
            a.setUID(0);
            a.setGID(0);
            a.setTime(MTIME);
            a.setInode(inode++);
            a.setDeviceMaj(0);
            a.setDeviceMin(0);
            a.setNumberOfLinks(e.kind() == CpioEntry.Kind.DIRECTORY ? 2 : 1);
            a.setRemoteDeviceMaj(e.rdevMajor());
            a.setRemoteDeviceMin(e.rdevMinor());
            cpio.putArchiveEntry(a);
            if (e.kind() == CpioEntry.Kind.FILE && e.file() != null) {
                try (InputStream in = Files.newInputStream(e.file())) {
                    long copied = in.transferTo(cpio);
                    if (copied != size) {
                        throw new FledgeException("file changed while archiving: " + e.file());
                    }
                }
            } else {
                cpio.write(data);
            }
            cpio.closeArchiveEntry();
        }
        cpio.finish();
    }

    /** {@code scan(root)} plus {@code extra} entries, archived and gzipped into {@code output}. */
    public static void writeGzip(List<CpioEntry> entries, Path output) {
        GzipParameters params = new GzipParameters();
        params.setCompressionLevel(9);
        params.setModificationTime(0);
        params.setOperatingSystem(3);
        try (OutputStream file = Files.newOutputStream(output);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file, params)) {
            write(entries, gz);
        } catch (IOException e) {
            throw new FledgeException("failed to write " + output + ": " + e.getMessage(), e);
        }
    }

    static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        if (n.isEmpty()) {
            throw new FledgeException("empty archive entry name");
        }
        return n;
    }

    private static int typeBits(CpioEntry.Kind k) {
        return switch (k) {
            case DIRECTORY -> CpioConstants.C_ISDIR;
            case FILE -> CpioConstants.C_ISREG;
            case SYMLINK -> CpioConstants.C_ISLNK;
            case CHAR_DEVICE -> CpioConstants.C_ISCHR;
            case BLOCK_DEVICE -> CpioConstants.C_ISBLK;
            case FIFO -> CpioConstants.C_ISFIFO;
        };
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
