package io.volant.volantd.cloudinit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The in-process NoCloud seed writer of host-runtime.md §5.5: a 64 MiB FAT16 file system on the whole image
 * (512-byte sectors, 4 sectors per cluster, 2 FATs, 512 root entries, media 0xF8), label {@code CIDATA} in the
 * boot sector and as a root volume-label entry, files {@code meta-data}, {@code user-data}, {@code network-config}
 * with VFAT long names. Reproducible: serial = first four bytes of SHA-256 of the instance id, every timestamp
 * 2024-01-01 00:00:00. Written as {@code <dest>.part} with mode 0600, then renamed. No host tools needed.
 */
public final class FatSeedBuilder implements SeedBuilder {
    public static final long IMAGE_BYTES = 64L * 1024 * 1024;
    private static final int SECTOR = 512;
    private static final int SECTORS_PER_CLUSTER = 4;
    private static final int RESERVED = 4;
    private static final int FATS = 2;
    private static final int ROOT_ENTRIES = 512;
    private static final int TOTAL_SECTORS = (int) (IMAGE_BYTES / SECTOR);
    private static final int FAT_SECTORS = 128;
    private static final int ROOT_SECTORS = ROOT_ENTRIES * 32 / SECTOR;
    private static final int DATA_START = RESERVED + FATS * FAT_SECTORS + ROOT_SECTORS;
    private static final int CLUSTER_BYTES = SECTOR * SECTORS_PER_CLUSTER;
    /** 2024-01-01 in FAT date format: ((2024-1980) << 9) | (1 << 5) | 1. */
    private static final short DATE = (short) ((44 << 9) | (1 << 5) | 1);

    @Override
    public void build(SeedInput input, Path dest) {
        Map<String, byte[]> files = files(input);
        Path part = dest.resolveSibling(dest.getFileName() + ".part");
        try {
            Files.createDirectories(dest.getParent());
            Files.deleteIfExists(part);
            Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                write(ch, input.instanceId(), files);
            }
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // best effort
            }
            throw new SeedException("cloudinit: create disk image: " + e.getMessage(), e);
        }
    }

    /** The seed's files in directory order (§5.2, §5.5). */
    static Map<String, byte[]> files(SeedInput in) {
        String instanceId = in.instanceId().isBlank() ? "volant-instance" : in.instanceId();
        String hostname = in.hostname().isBlank() ? instanceId : in.hostname();
        String user = in.userData().strip();
        String meta = in.metaData().strip();
        String net = in.networkConfig().strip();
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("meta-data", (meta.isEmpty() ? "instance-id: " + instanceId + "\nlocal-hostname: " + hostname + "\n" : meta)
                .getBytes(StandardCharsets.UTF_8));
        f.put("user-data", (user.isEmpty() ? "#cloud-config\n" : user).getBytes(StandardCharsets.UTF_8));
        if (!net.isEmpty()) {
            f.put("network-config", net.getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }

    private static void write(FileChannel ch, String instanceId, Map<String, byte[]> files) throws IOException {
        ch.truncate(0);
        ByteBuffer fat = le(FAT_SECTORS * SECTOR);
        fat.putShort(0, (short) 0xFFF8);
        fat.putShort(2, (short) 0xFFFF);
        ByteBuffer root = le(ROOT_SECTORS * SECTOR);
        root.put(shortEntry("CIDATA     ".getBytes(StandardCharsets.US_ASCII), (byte) 0x08, 0, 0));
        int next = 2;
        int alias = 1;
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] data = e.getValue();
            int clusters = (data.length + CLUSTER_BYTES - 1) / CLUSTER_BYTES;
            int first = clusters == 0 ? 0 : next;
            for (int i = 0; i < clusters; i++) {
                int c = next + i;
                fat.putShort(c * 2, (short) (i == clusters - 1 ? 0xFFFF : c + 1));
                ch.write(ByteBuffer.wrap(data, i * CLUSTER_BYTES, Math.min(CLUSTER_BYTES, data.length - i * CLUSTER_BYTES)),
                        (long) (DATA_START + (c - 2) * SECTORS_PER_CLUSTER) * SECTOR);
            }
            next += clusters;
            byte[] shortName = shortName(e.getKey(), alias++);
            writeLongName(root, e.getKey(), checksum(shortName));
            root.put(shortEntry(shortName, (byte) 0x20, first, data.length));
        }
        ch.write(bootSector(instanceId), 0);
        for (int i = 0; i < FATS; i++) {
            ch.write(fat.rewind(), (long) (RESERVED + i * FAT_SECTORS) * SECTOR);
        }
        ch.write(root.rewind(), (long) (RESERVED + FATS * FAT_SECTORS) * SECTOR);
        // Extend to the full size (sparse); identical inputs give identical bytes.
        ch.write(ByteBuffer.wrap(new byte[1]), IMAGE_BYTES - 1);
    }

    private static ByteBuffer bootSector(String instanceId) {
        ByteBuffer b = le(SECTOR);
        b.put(new byte[] {(byte) 0xEB, 0x3C, (byte) 0x90});
        b.put("VOLANT  ".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) SECTOR);
        b.put((byte) SECTORS_PER_CLUSTER);
        b.putShort((short) RESERVED);
        b.put((byte) FATS);
        b.putShort((short) ROOT_ENTRIES);
        b.putShort((short) 0); // total sectors in the 32-bit field
        b.put((byte) 0xF8);
        b.putShort((short) FAT_SECTORS);
        b.putShort((short) 32); // sectors per track
        b.putShort((short) 64); // heads
        b.putInt(0); // hidden sectors
        b.putInt(TOTAL_SECTORS);
        b.put((byte) 0x80); // drive number
        b.put((byte) 0);
        b.put((byte) 0x29); // extended boot signature
        byte[] serial = sha256(instanceId);
        b.put(serial, 0, 4);
        b.put("CIDATA     ".getBytes(StandardCharsets.US_ASCII));
        b.put("FAT16   ".getBytes(StandardCharsets.US_ASCII));
        b.put(510, (byte) 0x55);
        b.put(511, (byte) 0xAA);
        return b.rewind();
    }

    /** {@code META-D~1} style 8.3 alias (names are lower case, so a long name is always needed). */
    static byte[] shortName(String name, int n) {
        String base = name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9_-]", "");
        String tail = "~" + n;
        String head = base.substring(0, Math.min(base.length(), 8 - tail.length()));
        return String.format("%-11s", head + tail).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] shortEntry(byte[] name11, byte attr, int cluster, int size) {
        ByteBuffer e = le(32);
        e.put(name11, 0, 11);
        e.put(attr);
        e.put((byte) 0);
        e.put((byte) 0);
        e.putShort((short) 0); // create time
        e.putShort(DATE);
        e.putShort(DATE); // access date
        e.putShort((short) 0); // high cluster (FAT32 only)
        e.putShort((short) 0); // write time
        e.putShort(DATE);
        e.putShort((short) cluster);
        e.putInt(size);
        return e.array();
    }

    private static void writeLongName(ByteBuffer root, String name, byte checksum) {
        char[] chars = name.toCharArray();
        int parts = (chars.length + 12) / 13;
        for (int p = parts; p >= 1; p--) {
            ByteBuffer e = le(32);
            e.put((byte) (p == parts ? 0x40 | p : p));
            int[] offsets = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
            for (int i = 0; i < 13; i++) {
                int idx = (p - 1) * 13 + i;
                short v = idx < chars.length ? (short) chars[idx] : idx == chars.length ? 0 : (short) 0xFFFF;
                e.putShort(offsets[i], v);
            }
            e.put(11, (byte) 0x0F);
            e.put(12, (byte) 0);
            e.put(13, checksum);
            e.putShort(26, (short) 0);
            root.put(e.array());
        }
    }

    private static byte checksum(byte[] name11) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + ((sum & 0xFF) >> 1) + (name11[i] & 0xFF)) & 0xFF;
        }
        return (byte) sum;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
