package io.volant.kestrel.net;

import java.io.IOException;

/**
 * The guest's links and addresses: the one external effect of {@link GuestNetwork}. Implemented over the {@code ip}
 * program ({@link IpCommandNetLink}); tests use an in-memory twin.
 */
public interface NetLink {
    boolean exists(String device) throws IOException;

    boolean isUp(String device) throws IOException;

    void setUp(String device) throws IOException;

    boolean hasIpv4(String device) throws IOException;

    void addAddress(String device, String address, int prefixLength) throws IOException;

    void addDefaultRoute(String gateway, String device) throws IOException;

    /** Sets {@code device}'s hardware address (a clone's own MAC) and leaves the link up. */
    void setMac(String device, String mac) throws IOException;

    /** Whether {@link #dhcp} can work here (a DHCP client is installed). */
    boolean dhcpAvailable();

    /**
     * Obtains and applies a DHCP lease on {@code device} (address, default route; DNS servers appended to
     * {@code resolvConf} when the lease carries some and the file was empty).
     */
    void dhcp(String device, String hostname, java.nio.file.Path resolvConf) throws IOException;
}
