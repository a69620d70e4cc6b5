package io.volant.kestrel.net;

import io.volant.kestrel.sys.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link NetLink} through the kernel's network {@code ioctl}s on an {@code AF_INET} datagram socket (netdevice(7),
 * route(8)'s {@code SIOCADDRT}), as {@code ifconfig} and {@code route} do. Why not the {@code ip} program: every step
 * was a process, about 100 ms each on an emulated CPU, and a clone ran three of them between resume and its workload;
 * here a step is a system call, and a guest without an {@code ip} program gets its network too. DHCP still needs a
 * client program: {@link #dhcpAvailable}/{@link #dhcp} go to the {@code ip}/{@code udhcpc} implementation when there
 * is one. Semantics follow {@link IpCommandNetLink}: an address is added as the link's primary one (a link kestrel
 * configures has none), the default route is replaced. Linux x86-64/aarch64 (their {@code struct ifreq} and
 * {@code struct rtentry} layouts are the same).
 *
 * <p>Only templates and their clones use it (docs/kestrel.md): linking these downcalls spins classes at run time that
 * no AOT cache holds, which under TCG costs a cold boot more than its few {@code ip} processes; a template pays it
 * once in {@link #rehearse} and every clone inherits the calls linked.
 */
@SuppressWarnings("restricted") // native calls are this class's purpose; the launcher enables native access
public final class IoctlNetLink implements NetLink {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCGIFADDR = 0x8915;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCSIFNETMASK = 0x891c;
    static final long SIOCGIFINDEX = 0x8933;
    static final long SIOCSIFHWADDR = 0x8924;
    static final long SIOCADDRT = 0x890B;
    static final long SIOCDELRT = 0x890C;
    static final short IFF_UP = 0x1;
    static final short ARPHRD_ETHER = 1;
    static final short RTF_UP = 0x1;
    static final short RTF_GATEWAY = 0x2;
    static final int ENODEV = 19;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EADDRNOTAVAIL = 99;
    /** {@code struct ifreq}: a 16-byte name, then a 24-byte union. */
    static final int IFREQ_SIZE = 40;
    static final int IFNAMSIZ = 16;
    /** {@code struct rtentry} on LP64. */
    static final int RTENTRY_SIZE = 120;
    /** A link name no kernel has: the rehearsal's route call fails on it (ENODEV) before anything changes. */
    static final String NO_LINK = "kestrel-none0";

    private static final MethodHandle SOCKET = Libc.fn("socket",
            FunctionDescriptor.of(Libc.INT, Libc.INT, Libc.INT, Libc.INT));
    private static final MethodHandle IOCTL = Libc.fn("ioctl",
            FunctionDescriptor.of(Libc.INT, Libc.INT, Libc.LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2));

    private final Optional<? extends NetLink> dhcpClient;

    /** @param dhcpClient what runs DHCP (the {@code ip}/{@code udhcpc} programs), when the image has them */
    public IoctlNetLink(Optional<? extends NetLink> dhcpClient) {
        this.dhcpClient = dhcpClient;
    }

    /**
     * Makes every call this class makes once, changing nothing, so a template's clones inherit them linked: the
     * loopback's index, flags and address read; it set up and its address and netmask set to what they are (the
     * kernel leaves an unchanged address alone); a MAC the loopback refuses (EINVAL: not an Ethernet link) and a
     * default route on a link that does not exist (ENODEV). The loopback must be up.
     *
     * @throws IOException when a call that should succeed failed (the rest is still rehearsed)
     */
    public static void rehearse() throws IOException {
        IoctlNetLink link = new IoctlNetLink(Optional.empty());
        IOException failed = null;
        try {
            link.exists("lo");
            link.setUp("lo");
            link.hasIpv4("lo");
            link.addAddress("lo", "127.0.0.1", 8);
        } catch (IOException e) {
            failed = e;
        }
        try {
            link.setMac("lo", "02:00:00:00:00:00");
        } catch (IOException expected) {
            // refused, as intended; the call is linked
        }
        try {
            link.addDefaultRoute("127.0.0.1", NO_LINK);
        } catch (IOException expected) {
            // refused, as intended
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public boolean exists(String device) throws IOException {
        return call(device, SIOCGIFINDEX, ifreq -> {}, ENODEV) == 0;
    }

    @Override
    public boolean isUp(String device) throws IOException {
        return (flags(device) & IFF_UP) != 0;
    }

    @Override
    public void setUp(String device) throws IOException {
        setFlags(device, (short) (flags(device) | IFF_UP));
    }

    @Override
    public boolean hasIpv4(String device) throws IOException {
        return call(device, SIOCGIFADDR, ifreq -> {}, EADDRNOTAVAIL) == 0;
    }

    @Override
    public void addAddress(String device, String address, int prefixLength) throws IOException {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IOException("prefix length " + prefixLength + " is not 0-32");
        }
        byte[] addr = ipv4(address);
        call(device, SIOCSIFADDR, ifreq -> sockaddrIn(ifreq, 16, addr));
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        byte[] maskBytes = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        call(device, SIOCSIFNETMASK, ifreq -> sockaddrIn(ifreq, 16, maskBytes));
    }

    @Override
    public void addDefaultRoute(String gateway, String device) throws IOException {
        byte[] gw = ipv4(gateway);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rt = arena.allocate(RTENTRY_SIZE, 8);
            sockaddrIn(rt, 8, new byte[4]);   // rt_dst 0.0.0.0
            sockaddrIn(rt, 24, gw);           // rt_gateway
            sockaddrIn(rt, 40, new byte[4]);  // rt_genmask 0.0.0.0
            rt.set(ValueLayout.JAVA_SHORT, 56, (short) (RTF_UP | RTF_GATEWAY));
            rt.set(ValueLayout.ADDRESS, 88, arena.allocateFrom(device)); // rt_dev
            // Replace, as `ip route replace`: a default route already there is deleted first.
            if (routeIoctl(SIOCADDRT, rt, device) == EEXIST) {
                MemorySegment old = arena.allocate(RTENTRY_SIZE, 8);
                sockaddrIn(old, 8, new byte[4]);
                sockaddrIn(old, 40, new byte[4]);
                old.set(ValueLayout.JAVA_SHORT, 56, RTF_UP);
                routeIoctl(SIOCDELRT, old, device);
                int rc = routeIoctl(SIOCADDRT, rt, device);
                if (rc != 0) {
                    throw new IOException("ioctl(SIOCADDRT default via " + gateway + " dev " + device + ") failed: "
                            + "errno " + rc);
                }
            }
        }
    }

    @Override
    public void setMac(String device, String mac) throws IOException {
        byte[] hw = macBytes(mac);
        IfreqFiller fill = ifreq -> {
            ifreq.set(ValueLayout.JAVA_SHORT, 16, ARPHRD_ETHER);
            MemorySegment.copy(hw, 0, ifreq, ValueLayout.JAVA_BYTE, 18, hw.length);
        };
        // Live when the link is down (a template's eth0 is) or its driver allows it (virtio-net, veth); else EBUSY:
        // down, address, up.
        if (call(device, SIOCSIFHWADDR, fill, EBUSY) != 0) {
            short flags = flags(device);
            setFlags(device, (short) (flags & ~IFF_UP));
            call(device, SIOCSIFHWADDR, fill);
        }
        setUp(device);
    }

    @Override
    public boolean dhcpAvailable() {
        return dhcpClient.map(NetLink::dhcpAvailable).orElse(false);
    }

    @Override
    public void dhcp(String device, String hostname, Path resolvConf) throws IOException {
        NetLink client = dhcpClient.orElseThrow(() -> new IOException("no DHCP client (udhcpc) in the image"));
        client.dhcp(device, hostname, resolvConf);
    }

    private short flags(String device) throws IOException {
        short[] out = new short[1];
        callReading(device, SIOCGIFFLAGS, ifreq -> out[0] = ifreq.get(ValueLayout.JAVA_SHORT, 16));
        return out[0];
    }

    private void setFlags(String device, short flags) throws IOException {
        call(device, SIOCSIFFLAGS, ifreq -> ifreq.set(ValueLayout.JAVA_SHORT, 16, flags));
    }

    /** Writes a {@code struct sockaddr_in} (family, port 0, address in network order) at {@code offset}. */
    private static void sockaddrIn(MemorySegment s, long offset, byte[] addr) {
        s.set(ValueLayout.JAVA_SHORT, offset, (short) AF_INET);
        MemorySegment.copy(addr, 0, s, ValueLayout.JAVA_BYTE, offset + 4, 4);
    }

    static byte[] ipv4(String address) throws IOException {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IOException("\"" + address + "\" is not an IPv4 address");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            try {
                int v = Integer.parseInt(parts[i]);
                if (v < 0 || v > 255 || parts[i].length() > 3) {
                    throw new NumberFormatException();
                }
                b[i] = (byte) v;
            } catch (NumberFormatException e) {
                throw new IOException("\"" + address + "\" is not an IPv4 address");
            }
        }
        return b;
    }

    static byte[] macBytes(String mac) throws IOException {
        String[] parts = mac.split(":", -1);
        if (parts.length != 6) {
            throw new IOException("\"" + mac + "\" is not a MAC address");
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            try {
                if (parts[i].length() != 2) {
                    throw new NumberFormatException();
                }
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IOException("\"" + mac + "\" is not a MAC address");
            }
        }
        return b;
    }

    @FunctionalInterface
    private interface IfreqFiller {
        void fill(MemorySegment ifreq);
    }

    /** An ioctl that must succeed. */
    private void call(String device, long request, IfreqFiller fill) throws IOException {
        call(device, request, fill, 0);
    }

    /** An ioctl that must succeed; {@code read} then sees the answered {@code struct ifreq}. */
    private void callReading(String device, long request, IfreqFiller read) throws IOException {
        ioctl(device, request, ifreq -> {}, read, 0);
    }

    /** 0 on success, {@code tolerated} when the call failed with that errno; any other failure throws. */
    private int call(String device, long request, IfreqFiller fill, int tolerated) throws IOException {
        return ioctl(device, request, fill, ifreq -> {}, tolerated);
    }

    private static int ioctl(String device, long request, IfreqFiller fill, IfreqFiller read, int tolerated)
            throws IOException {
        byte[] name = device.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IFNAMSIZ) {
            throw new IOException("link name \"" + device + "\" is not 1-15 characters");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment ifreq = arena.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
            fill.fill(ifreq);
            int fd = socket(state);
            try {
                int rc = (int) IOCTL.invokeExact(state, fd, request, ifreq);
                if (rc < 0) {
                    int errno = Libc.errno(state);
                    if (tolerated != 0 && errno == tolerated) {
                        return errno;
                    }
                    Libc.check(rc, state, "ioctl(" + requestName(request) + ", " + device + ")");
                }
                read.fill(ifreq);
                return 0;
            } finally {
                Libc.close(fd);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t, "ioctl");
        }
    }

    /** SIOCADDRT/SIOCDELRT: 0, or the errno (EEXIST is the caller's to handle; others throw). */
    private static int routeIoctl(long request, MemorySegment rt, String device) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int fd = socket(state);
            try {
                int rc = (int) IOCTL.invokeExact(state, fd, request, rt);
                if (rc < 0) {
                    int errno = Libc.errno(state);
                    if (errno == EEXIST || request == SIOCDELRT) {
                        return errno;
                    }
                    Libc.check(rc, state, "ioctl(" + requestName(request) + " default dev " + device + ")");
                }
                return 0;
            } finally {
                Libc.close(fd);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t, "route");
        }
    }

    private static int socket(MemorySegment state) throws Throwable {
        int fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        Libc.check(fd, state, "socket(AF_INET)");
        return fd;
    }

    static String requestName(long request) {
        return switch ((int) request) {
            case 0x8913 -> "SIOCGIFFLAGS";
            case 0x8914 -> "SIOCSIFFLAGS";
            case 0x8915 -> "SIOCGIFADDR";
            case 0x8916 -> "SIOCSIFADDR";
            case 0x891c -> "SIOCSIFNETMASK";
            case 0x8933 -> "SIOCGIFINDEX";
            case 0x8924 -> "SIOCSIFHWADDR";
            case 0x890B -> "SIOCADDRT";
            case 0x890C -> "SIOCDELRT";
            default -> "0x" + Long.toHexString(request);
        };
    }
}
