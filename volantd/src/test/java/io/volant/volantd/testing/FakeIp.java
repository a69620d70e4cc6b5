package io.volant.volantd.testing;

import io.volant.volantd.network.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory twin of iproute2 for {@link CommandRunner}: links with a master and an up flag, enough of
 * {@code ip link}/{@code ip tuntap} for the bridge manager. Records every argv. Failure knob: {@link #failOn}.
 */
public final class FakeIp implements CommandRunner {
    public final Map<String, Link> links = new LinkedHashMap<>();
    public final List<List<String>> calls = new ArrayList<>();
    private String failing;

    public static final class Link {
        public String master = "";
        public boolean up;
        public final boolean tap;

        Link(boolean tap) {
            this.tap = tap;
        }
    }

    public FakeIp bridge(String name, boolean up) {
        Link l = new Link(false);
        l.up = up;
        links.put(name, l);
        return this;
    }

    public FakeIp tap(String name, String master) {
        Link l = new Link(true);
        l.master = master;
        l.up = true;
        links.put(name, l);
        return this;
    }

    /** Makes every command whose joined argv contains {@code fragment} fail. */
    public void failOn(String fragment) {
        failing = fragment;
    }

    @Override
    public synchronized Result run(List<String> argv, Duration timeout) {
        calls.add(List.copyOf(argv));
        String joined = String.join(" ", argv);
        if (failing != null && joined.contains(failing)) {
            return new Result(2, "", "RTNETLINK answers: Operation not permitted");
        }
        if (joined.startsWith("ip -o link show dev ")) {
            Link l = links.get(argv.getLast());
            return l == null ? new Result(1, "", "Device \"" + argv.getLast() + "\" does not exist.")
                    : new Result(0, "3: " + argv.getLast() + ": <BROADCAST,MULTICAST" + (l.up ? ",UP" : "")
                            + "> mtu 1500 state " + (l.up ? "UP" : "DOWN"), "");
        }
        if (joined.startsWith("ip tuntap add dev ")) {
            String name = argv.get(4);
            if (links.containsKey(name)) {
                return new Result(1, "", "ioctl(TUNSETIFF): Device or resource busy");
            }
            links.put(name, new Link(true));
            return new Result(0, "", "");
        }
        if (joined.startsWith("ip link del dev ")) {
            return links.remove(argv.getLast()) == null ? new Result(1, "", "Cannot find device") : ok();
        }
        if (joined.startsWith("ip link set dev ")) {
            Link l = links.get(argv.get(4));
            if (l == null) {
                return new Result(1, "", "Cannot find device \"" + argv.get(4) + "\"");
            }
            switch (argv.get(5)) {
                case "up" -> l.up = true;
                case "down" -> l.up = false;
                case "master" -> l.master = argv.get(6);
                case "nomaster" -> l.master = "";
                default -> {
                    return new Result(1, "", "unknown");
                }
            }
            return ok();
        }
        return new Result(1, "", "FakeIp: unsupported " + joined);
    }

    private static Result ok() {
        return new Result(0, "", "");
    }
}
