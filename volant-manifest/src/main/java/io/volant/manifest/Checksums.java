package io.volant.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Artifact checksums (plugins-and-guest.md §1.7 Chosen, host-runtime.md §3.3): exactly {@code sha256:<64 hex>} or
 * {@code <64 hex>}, any case, surrounding whitespace ignored; empty means "no check".
 */
public final class Checksums {
    private static final String PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();

    private Checksums() {}

    /** @return whether {@code checksum} is empty/blank or a well-formed SHA-256 checksum */
    public static boolean isValid(String checksum) {
        String t = Text.trim(checksum);
        return t.isEmpty() || hexOf(t) != null;
    }

    /**
     * @return the expected lower-case hex digest, or empty when {@code checksum} is blank (no verification)
     * @throws ManifestException when the checksum is not of an accepted form
     */
    public static Optional<String> expectedSha256(String checksum) {
        String t = Text.trim(checksum);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        String hex = hexOf(t);
        if (hex == null) {
            throw new ManifestException("checksum " + Text.quote(t) + " must be sha256:<64 hex digits> or 64 hex digits");
        }
        return Optional.of(hex);
    }

    /** @return a fresh SHA-256 digest, for hashing while copying */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** @return the lower-case hex form of a finished digest */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    /** @return lower-case hex SHA-256 of {@code bytes} */
    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(newSha256().digest(bytes));
    }

    /**
     * @return lower-case hex SHA-256 of the file's content
     * @throws ManifestException when the file cannot be read
     */
    public static String sha256Hex(Path file) {
        MessageDigest digest = newSha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new ManifestException("checksum: read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new ManifestException("checksum: read " + file + ": " + e.getMessage(), e);
        }
        return hex(digest);
    }

    /**
     * Verifies a file against a checksum; a blank checksum passes without reading the file.
     *
     * @throws ManifestException {@code checksum mismatch: expected <expected> got <actual>} on mismatch (the
     *                           host-runtime.md §3.3 message), or when the checksum is malformed or the file unreadable
     */
    public static void verify(Path file, String checksum) {
        Optional<String> expected = expectedSha256(checksum);
        if (expected.isPresent()) {
            verifyHex(expected.get(), sha256Hex(file));
        }
    }

    /** Compares an expected digest (as from {@link #expectedSha256}) with an actual one, case-insensitively. */
    public static void verifyHex(String expectedHex, String actualHex) {
        if (!expectedHex.equalsIgnoreCase(actualHex)) {
            throw new ManifestException("checksum mismatch: expected " + expectedHex + " got " + actualHex);
        }
    }

    private static String hexOf(String t) {
        String hex = t.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? t.substring(PREFIX.length()) : t;
        if (hex.length() != 64) {
            return null;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            boolean isHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!isHex) {
                return null;
            }
        }
        return hex.toLowerCase(Locale.ROOT);
    }
}
