package io.volant.fledge.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 helpers and the §4.6 checksum rule shared by BusyBox, the agent and downloads. */
public final class Checksums {
    private Checksums() {}

    public static String sha256Hex(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new FledgeException("failed to hash " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Strips a {@code sha256:} prefix, trims and lower-cases; "" means "no checksum". */
    public static String normalizeExpected(String expected) {
        String e = expected == null ? "" : expected.trim();
        if (e.regionMatches(true, 0, "sha256:", 0, 7)) {
            e = e.substring(7);
        }
        return e.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Verifies {@code file} against {@code expected} (§4.6). Empty expected → returns false (the caller warns);
     * mismatch → {@code checksum mismatch:} with expected/got lines.
     */
    public static boolean verify(Path file, String expected) {
        String want = normalizeExpected(expected);
        if (want.isEmpty()) {
            return false;
        }
        String got = sha256Hex(file);
        if (!got.equals(want)) {
            throw new FledgeException("checksum mismatch:\n  expected: " + want + "\n  got:      " + got);
        }
        return true;
    }
}
