package io.volant.kestrel.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NetLink} that remembers what it has seen or done itself — a link that is up, a link that has an IPv4
 * address — and answers those questions without asking the delegate again; changes it already made are not made
 * twice. Why: every question is an {@code ip} process, and a clone, whose links its template had already brought to
 * a known state (loopback up) and whose MAC step leaves {@code eth0} up, started eight of them after resume under an
 * emulated CPU. Only what passed through this object is remembered: kestrel is the one configuring the guest's
 * links while it starts, and a link taken down behind its back is not noticed (nothing else asks after start).
 */
public final class RememberingNetLink implements NetLink {
    private final NetLink delegate;
    private final Set<String> up = ConcurrentHashMap.newKeySet();
    private final Set<String> withIpv4 = ConcurrentHashMap.newKeySet();

    public RememberingNetLink(NetLink delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean exists(String device) throws IOException {
        return up.contains(device) || withIpv4.contains(device) || delegate.exists(device);
    }

    @Override
    public boolean isUp(String device) throws IOException {
        return ask(up, device, delegate::isUp);
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
        return ask(withIpv4, device, delegate::hasIpv4);
    }

    @Override
    public void addAddress(String device, String address, int prefixLength) throws IOException {
        delegate.addAddress(device, address, prefixLength);
        withIpv4.add(device);
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
        withIpv4.add(device);
    }

    private interface Question {
        boolean ask(String device) throws IOException;
    }

    /** A yes already in {@code known}, else the delegate's answer; a yes is remembered, a no is asked again. */
    private static boolean ask(Set<String> known, String device, Question q) throws IOException {
        if (known.contains(device)) {
            return true;
        }
        boolean yes = q.ask(device);
        if (yes) {
            known.add(device);
        }
        return yes;
    }
}
