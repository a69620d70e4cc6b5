package io.volant.volantd.network.bridge;

import io.volant.volantd.network.NetworkException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Guest MAC addresses (host-runtime.md §4.3): {@code 02:} + the first five bytes of SHA-1 over {@code <name>|<ip>}. */
public final class MacAddresses {
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");

    private MacAddresses() {}

    /** @param ip "" in IP-less modes */
    public static String derive(String vmName, String ip) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-1").digest((vmName + "|" + (ip == null ? "" : ip))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-1", e);
        }
        StringBuilder b = new StringBuilder("02");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 5; i++) {
            b.append(':').append(hex.toHexDigits(h[i]));
        }
        return b.toString();
    }

    /** @throws NetworkException {@code invalid mac address <mac>: ...} */
    public static void check(String mac) {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new NetworkException("invalid mac address " + mac + ": expected six colon-separated hex bytes");
        }
    }
}
