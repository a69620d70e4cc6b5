package io.volant.volantd.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Tap device names (host-runtime.md §4.5, Chosen): {@code vttap-<name>} or the hashed 15-character form. */
public final class TapNames {
    private TapNames() {}

    public static String of(String vmName) {
        if (vmName.length() <= 9 && vmName.matches("[a-z0-9]+")) {
            return "vttap-" + vmName;
        }
        StringBuilder sanitized = new StringBuilder();
        for (char c : vmName.toCharArray()) {
            if (c >= 'A' && c <= 'Z') {
                sanitized.append((char) (c + 32));
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                sanitized.append(c);
            }
        }
        String prefix = sanitized.isEmpty() ? "vm" : sanitized.substring(0, Math.min(3, sanitized.length()));
        return "vttap-" + prefix + sha256Hex(vmName).substring(0, 6);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
