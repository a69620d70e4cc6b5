package io.volant.volantd.network.bridge;

import io.volant.volantd.network.NetworkException;
import java.util.regex.Pattern;

/** MAC validation of the bridge manager (host-runtime.md §4.5 step 3); derivation is {@code network.Macs}. */
public final class MacAddresses {
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}");

    private MacAddresses() {}

    /** @throws NetworkException {@code invalid mac address <mac>: ...} */
    public static void check(String mac) {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new NetworkException("invalid mac address " + mac + ": expected six colon-separated hex bytes");
        }
    }
}
