package io.volant.volantd.network;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** VM MAC addresses (host-runtime.md §4.3): locally administered, derived from name and IP. */
public final class Macs {
    private Macs() {}

    /** {@code 02:} + the first five bytes of SHA-1({@code <name>|<ip>}), ip "" when none. */
    public static String derive(String name, String ip) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest((name + "|" + (ip == null ? "" : ip)).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder("02");
            for (int i = 0; i < 5; i++) {
                sb.append(':').append(String.format("%02x", h[i] & 0xff));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Guest hostname (control-plane.md §1.7): lower-cased, only {@code a-z0-9-} kept, {@code vm} when empty. */
    public static String hostname(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                sb.append(c);
            }
        }
        return sb.isEmpty() ? "vm" : sb.toString();
    }
}
