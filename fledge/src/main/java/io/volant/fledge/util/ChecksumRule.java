package io.volant.fledge.util;

import io.volant.manifest.Checksums;
import io.volant.manifest.ManifestException;
import java.nio.file.Path;
import java.util.Optional;

/** fledge's checksum rule for BusyBox, the agent and downloads (§4.6), over the manifest module's hashing. */
public final class ChecksumRule {
    private ChecksumRule() {}

    /**
     * Verifies {@code file} against {@code expected} ({@code sha256:<hex>} or {@code <hex>}). Empty expected → returns
     * false (the caller warns); mismatch → {@code checksum mismatch:} with expected/got lines.
     */
    public static boolean verify(Path file, String expected) {
        Optional<String> want;
        try {
            want = Checksums.expectedSha256(expected);
        } catch (ManifestException e) {
            throw new FledgeException(e.getMessage(), e);
        }
        if (want.isEmpty()) {
            return false;
        }
        String got = sha256Hex(file);
        if (!got.equals(want.get())) {
            throw new FledgeException("checksum mismatch:\n  expected: " + want.get() + "\n  got:      " + got);
        }
        return true;
    }

    /** The file's lower-case hex SHA-256; an unreadable file is a {@link FledgeException}. */
    public static String sha256Hex(Path file) {
        try {
            return Checksums.sha256Hex(file);
        } catch (ManifestException e) {
            throw new FledgeException("failed to hash " + file + ": " + e.getMessage(), e);
        }
    }
}
