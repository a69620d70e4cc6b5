package io.volant.volantd.network.bridge;

import io.volant.volantd.network.CommandRunner;
import io.volant.volantd.network.NetworkException;
import io.volant.volantd.network.NetworkManager;
import io.volant.volantd.network.TapNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux bridge manager (host-runtime.md §4.5, Chosen Java mechanics): iproute2 in argv form with a 10 s timeout
 * per command, stderr in every error. The tap keeps a kernel-chosen MAC (the guest MAC is only validated): a tap
 * carrying the guest's MAC would make the bridge treat the guest's frames as local. The bridge is never created
 * here (that is {@code volar setup} / the startup bootstrap). Thread-safe.
 */
public final class BridgeNetworkManager implements NetworkManager {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeNetworkManager.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String bridge;
    private final CommandRunner ip;
    /** tap name → VM that holds it (the in-use rule of §4.5 Chosen). */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    public BridgeNetworkManager(String bridge, CommandRunner runner) {
        this.bridge = bridge;
        this.ip = runner;
    }

    @Override
    public String prepareTap(String vmName, String mac) {
        String tap = TapNames.of(vmName);
        String other = owners.putIfAbsent(tap, vmName);
        if (other != null && !other.equals(vmName)) {
            throw new NetworkException("tap " + tap + " is in use by vm " + other);
        }
        try {
            CommandRunner.Result br = ip.run(List.of("ip", "-o", "link", "show", "dev", bridge), TIMEOUT);
            if (!br.ok()) {
                throw new NetworkException("bridge " + bridge + " not present: " + br.stderr().trim());
            }
            if (!br.stdout().contains("state UP") && !br.stdout().contains(",UP")) {
                must(List.of("ip", "link", "set", "dev", bridge, "up"), "bring bridge up");
            }
            MacAddresses.check(mac);
            if (exists(tap)) {
                // A leftover of a crashed volantd: remove it, errors ignored (upstream step 4).
                ip.run(List.of("ip", "link", "set", "dev", tap, "down"), TIMEOUT);
                ip.run(List.of("ip", "link", "set", "dev", tap, "nomaster"), TIMEOUT);
                ip.run(List.of("ip", "link", "del", "dev", tap), TIMEOUT);
            }
            must(List.of("ip", "tuntap", "add", "dev", tap, "mode", "tap", "vnet_hdr"), "create tap " + tap);
            try {
                must(List.of("ip", "link", "set", "dev", tap, "master", bridge), "attach tap to bridge");
                must(List.of("ip", "link", "set", "dev", tap, "up"), "bring tap up");
            } catch (NetworkException e) {
                ip.run(List.of("ip", "link", "del", "dev", tap), TIMEOUT);
                throw e;
            }
            LOG.info("tap prepared vm={} tap={} bridge={}", vmName, tap, bridge);
            return tap;
        } catch (RuntimeException e) {
            owners.remove(tap, vmName);
            throw e;
        }
    }

    @Override
    public void cleanupTap(String tapName) {
        if (tapName == null || tapName.isEmpty()) {
            return;
        }
        try {
            if (!exists(tapName)) {
                return;
            }
            must(List.of("ip", "link", "set", "dev", tapName, "down"), "tap down");
            must(List.of("ip", "link", "del", "dev", tapName), "delete tap");
            LOG.info("tap removed tap={}", tapName);
        } finally {
            owners.remove(tapName);
        }
    }

    /** The {@code vttap-} members of this manager's bridge ({@code ip -o link show master <bridge>}). */
    @Override
    public List<String> listTaps() {
        CommandRunner.Result r = ip.run(List.of("ip", "-o", "link", "show", "master", bridge), TIMEOUT);
        if (!r.ok()) {
            throw new NetworkException("list taps of bridge " + bridge + ": " + r.stderr().trim());
        }
        return TapNames.inLinkList(r.stdout());
    }

    private boolean exists(String dev) {
        return ip.run(List.of("ip", "-o", "link", "show", "dev", dev), TIMEOUT).ok();
    }

    private void must(List<String> argv, String what) {
        CommandRunner.Result r = ip.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new NetworkException(what + ": " + r.stderr().trim());
        }
    }
}
