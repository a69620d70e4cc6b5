package io.volant.kestrel.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NetLink} that remembers what it has seen or done itself — a link that is up, whether a link has an IPv4
 * address (either answer: only kestrel adds addresses while it starts) — and answers those questions without asking
 * the delegate again; changes it already made are not made twice. Why: every question is an {@code ip} process, and
 * a clone, whose links its template had already brought to a known state (loopback up, no address on {@code eth0})
 * and whose MAC step leaves {@code eth0} up, started eight of them after resume under an emulated CPU. Only what
 * passed through this object is remembered: kestrel is the one configuring the guest's links while it starts, and
 * a link changed behind its back is not noticed (nothing else asks after start).
 */
public final class RememberingNetLink implements NetLink {
    private final NetLink delegate;
    private final Set<String> up = ConcurrentHashMap.newKeySet();
    /** Whether a link has an IPv4 address, either answer: only kestrel adds one while it starts. */
    private final Map<String, Boolean> ipv4 = new ConcurrentHashMap<>();

    public RememberingNetLink(NetLink delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean exists(String device) throws IOException {
        // A remembered "no address" says nothing about existence (`ip addr show` of a missing link also says no).
        return up.contains(device) || Boolean.TRUE.equals(ipv4.get(device)) || delegate.exists(device);
    }

    @Override
    public boolean isUp(String device) throws IOException {
        if (up.contains(device)) {
            return true;
        }
        boolean isUp = delegate.isUp(device);
        if (isUp) {
            up.add(device);
        }
        return isUp;
    }

    @Override
    public void setUp(String device) throws IOException {
        if (!up.contains(device)) {
            delegate.setUp(device);
            up.add(device);
        }
    }

    @Override
    public boolean hasIpv4(String device) throws IOException {
        Boolean known = ipv4.get(device);
        if (known != null) {
            return known;
        }
        boolean has = delegate.hasIpv4(device);
        ipv4.put(device, has);
        return has;
    }

    @Override
    public void addAddress(String device, String address, int prefixLength) throws IOException {
        delegate.addAddress(device, address, prefixLength);
        ipv4.put(device, true);
    }

    @Override
    public void addDefaultRoute(String gateway, String device) throws IOException {
        delegate.addDefaultRoute(gateway, device);
    }

    @Override
    public void setMac(String device, String mac) throws IOException {
        delegate.setMac(device, mac);
        up.add(device);
    }

    @Override
    public boolean dhcpAvailable() {
        return delegate.dhcpAvailable();
    }

    @Override
    public void dhcp(String device, String hostname, Path resolvConf) throws IOException {
        delegate.dhcp(device, hostname, resolvConf);
        up.add(device);
        ipv4.put(device, true);
    }
}
