package io.volant.kestrel.testing;

import io.volant.kestrel.net.NetLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory {@link NetLink} twin: links with an up flag and addresses, a default route, and a scripted DHCP lease. */
public final class InMemoryNetLink implements NetLink {
    /** One link's state. */
    public static final class Link {
        public boolean up;
        public String mac = "52:54:00:00:00:01";
        public final List<String> addresses = new ArrayList<>();
    }

    public final Map<String, Link> links = new HashMap<>();
    /** Every call, in order: method name and device, e.g. {@code "isUp lo"}. */
    public final List<String> calls = new ArrayList<>();
    public String defaultRoute;
    public boolean dhcpAvailable;
    /** The lease {@link #dhcp} applies: address/prefix, router, DNS servers. */
    public String leaseAddress = "10.9.0.5/24";
    public String leaseRouter = "10.9.0.1";
    public List<String> leaseDns = List.of("10.9.0.53");

    public InMemoryNetLink with(String device, boolean up, String... addresses) {
        Link l = new Link();
        l.up = up;
        l.addresses.addAll(List.of(addresses));
        links.put(device, l);
        return this;
    }

    private Link link(String device) throws IOException {
        Link l = links.get(device);
        if (l == null) {
            throw new IOException("Cannot find device \"" + device + "\"");
        }
        return l;
    }

    @Override
    public boolean exists(String device) {
        calls.add("exists " + device);
        return links.containsKey(device);
    }

    @Override
    public boolean isUp(String device) throws IOException {
        calls.add("isUp " + device);
        return link(device).up;
    }

    @Override
    public void setUp(String device) throws IOException {
        calls.add("setUp " + device);
        link(device).up = true;
    }

    @Override
    public boolean hasIpv4(String device) throws IOException {
        calls.add("hasIpv4 " + device);
        return !link(device).addresses.isEmpty();
    }

    @Override
    public void addAddress(String device, String address, int prefixLength) throws IOException {
        calls.add("addAddress " + device);
        link(device).addresses.add(address + "/" + prefixLength);
    }

    @Override
    public void addDefaultRoute(String gateway, String device) throws IOException {
        calls.add("addDefaultRoute " + device);
        if (!link(device).up) {
            throw new IOException("Nexthop has invalid gateway: " + device + " is down");
        }
        defaultRoute = gateway + " dev " + device;
    }

    @Override
    public void setMac(String device, String mac) throws IOException {
        calls.add("setMac " + device);
        Link l = link(device);
        l.up = false;
        l.mac = mac;
        l.up = true;
    }

    @Override
    public boolean dhcpAvailable() {
        return dhcpAvailable;
    }

    @Override
    public void dhcp(String device, String hostname, Path resolvConf) throws IOException {
        calls.add("dhcp " + device);
        link(device).addresses.add(leaseAddress);
        defaultRoute = leaseRouter + " dev " + device;
        if (!Files.exists(resolvConf) || Files.readString(resolvConf).isBlank()) {
            StringBuilder sb = new StringBuilder();
            leaseDns.forEach(d -> sb.append("nameserver ").append(d).append('\n'));
            Files.writeString(resolvConf, sb.toString(), StandardCharsets.UTF_8);
        }
    }
}
