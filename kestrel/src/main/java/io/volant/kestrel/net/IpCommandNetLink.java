package io.volant.kestrel.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link NetLink} through the {@code ip} program (iproute2, or BusyBox's {@code ip} applet) and BusyBox
 * {@code udhcpc}: a cold boot's links, and DHCP everywhere (its client is a program anyway). A template and its clones
 * use {@link IoctlNetLink} instead: a clone makes its calls already linked, where a process costs ~100 ms of an
 * emulated CPU; a cold boot would have to link them first, which costs it more (docs/kestrel.md).
 */
public final class IpCommandNetLink implements NetLink {
    private static final List<String> BIN_DIRS = List.of("/sbin", "/bin", "/usr/sbin", "/usr/bin");
    private static final long TIMEOUT_SECONDS = 30;

    private final List<String> ip;
    private final Optional<List<String>> udhcpc;

    /** @param ip the {@code ip} program's argv prefix (tests add {@code -n <netns>}) */
    IpCommandNetLink(List<String> ip, Optional<List<String>> udhcpc) {
        this.ip = ip;
        this.udhcpc = udhcpc;
    }

    /** Finds {@code ip} and {@code udhcpc} as programs or BusyBox applets; empty when there is no {@code ip}. */
    public static Optional<IpCommandNetLink> locate() {
        Optional<String> busybox = find("busybox");
        Optional<List<String>> ip = find("ip").map(List::of).or(() -> busybox.map(b -> List.of(b, "ip")));
        Optional<List<String>> dhcp = find("udhcpc").map(List::of).or(() -> busybox.map(b -> List.of(b, "udhcpc")));
        return ip.map(i -> new IpCommandNetLink(i, dhcp));
    }

    private static Optional<String> find(String name) {
        return BIN_DIRS.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    @Override
    public boolean exists(String device) throws IOException {
        return run(false, "-o", "link", "show", "dev", device).exit == 0;
    }

    @Override
    public boolean isUp(String device) throws IOException {
        Result r = run(false, "-o", "link", "show", "dev", device);
        return r.exit == 0 && linkFlagsUp(r.out);
    }

    /** Whether an {@code ip -o link show} line has {@code UP} among its {@code <FLAGS>}. */
    static boolean linkFlagsUp(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        if (open < 0 || close < 0) {
            return false;
        }
        return List.of(line.substring(open + 1, close).split(",")).contains("UP");
    }

    @Override
    public void setUp(String device) throws IOException {
        run(true, "link", "set", "dev", device, "up");
    }

    @Override
    public boolean hasIpv4(String device) throws IOException {
        Result r = run(false, "-o", "-4", "addr", "show", "dev", device);
        return r.exit == 0 && r.out.contains(" inet ");
    }

    @Override
    public void addAddress(String device, String address, int prefixLength) throws IOException {
        run(true, "addr", "add", address + "/" + prefixLength, "dev", device);
    }

    @Override
    public void addDefaultRoute(String gateway, String device) throws IOException {
        run(true, "route", "replace", "default", "via", gateway, "dev", device);
    }

    @Override
    public void setMac(String device, String mac) throws IOException {
        // One command when the link is down (a template's eth0 is) or its driver changes the address live
        // (virtio-net, veth): each `ip` costs a clone a process start after resume. Else down, address, up.
        if (run(false, "link", "set", "dev", device, "address", mac, "up").exit == 0) {
            return;
        }
        run(true, "link", "set", "dev", device, "down");
        run(true, "link", "set", "dev", device, "address", mac);
        run(true, "link", "set", "dev", device, "up");
    }

    @Override
    public boolean dhcpAvailable() {
        return udhcpc.isPresent() && Files.isExecutable(Path.of("/bin/sh"));
    }

    @Override
    public void dhcp(String device, String hostname, Path resolvConf) throws IOException {
        if (!dhcpAvailable()) {
            throw new IOException("no udhcpc (or busybox) and /bin/sh in this image");
        }
        Path script = Files.createTempFile("kestrel-udhcpc", ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(script, udhcpcScript(String.join(" ", ip), resolvConf.toString()), StandardCharsets.UTF_8);
            List<String> argv = new ArrayList<>(udhcpc.orElseThrow());
            argv.addAll(List.of("-i", device, "-f", "-q", "-n", "-t", "5", "-T", "2", "-s", script.toString()));
            if (!hostname.isEmpty()) {
                argv.addAll(List.of("-x", "hostname:" + hostname));
            }
            Result r = exec(argv);
            if (r.exit != 0) {
                throw new IOException("udhcpc on " + device + " failed with status " + r.exit + ": " + r.out.strip());
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The udhcpc event script: applies the lease with the same {@code ip} program. */
    static String udhcpcScript(String ip, String resolvConf) {
        return """
                #!/bin/sh
                # Written by kestrel: applies a udhcpc lease (udhcpc exports interface, ip, mask, router, dns).
                case "$1" in
                  bound|renew)
                    %1$s addr flush dev "$interface"
                    %1$s addr add "$ip/${mask:-24}" dev "$interface"
                    for r in $router; do %1$s route replace default via "$r" dev "$interface"; break; done
                    if [ -n "$dns" ] && [ ! -s '%2$s' ]; then
                      for d in $dns; do echo "nameserver $d"; done > '%2$s'
                    fi
                    ;;
                esac
                exit 0
                """.formatted(ip, resolvConf);
    }

    private record Result(int exit, String out) {}

    private Result run(boolean mustSucceed, String... args) throws IOException {
        List<String> argv = new ArrayList<>(ip);
        argv.addAll(List.of(args));
        Result r = exec(argv);
        if (mustSucceed && r.exit != 0) {
            throw new IOException(String.join(" ", argv) + " failed with status " + r.exit + ": " + r.out.strip());
        }
        return r;
    }

    private static Result exec(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", argv), e);
        }
        return new Result(p.exitValue(), out);
    }
}
