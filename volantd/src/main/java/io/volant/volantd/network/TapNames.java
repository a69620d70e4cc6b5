package io.volant.volantd.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Tap device names (host-runtime.md §4.5, Chosen): {@code vttap-<name>} or the hashed 15-character form. */
public final class TapNames {
    /** Every tap volantd creates starts with this; nothing else it creates does. */
    public static final String PREFIX = "vttap-";

    private TapNames() {}

    /**
     * The {@link #PREFIX} device names in {@code ip -o link show} output ({@code 7: vttap-web: <...> ...}; a
     * {@code @peer} suffix is dropped).
     */
    public static java.util.List<String> inLinkList(String ipOutput) {
        java.util.List<String> taps = new java.util.ArrayList<>();
        for (String line : ipOutput.split("\n")) {
            String[] f = line.split(": ", 3);
            if (f.length < 3) {
                continue;
            }
            String name = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
            if (name.startsWith(PREFIX)) {
                taps.add(name);
            }
        }
        return taps;
    }

    public static String of(String vmName) {
        if (vmName.length() <= 9 && vmName.matches("[a-z0-9]+")) {
            return PREFIX + vmName;
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
        return PREFIX + prefix + sha256Hex(vmName).substring(0, 6);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
