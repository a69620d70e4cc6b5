package io.volant.kestrel.net;

import io.volant.kestrel.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Guest networking, hostname and DNS from the {@code ip=} token (plugins-and-guest.md §2.4 Chosen, steps 1–4; G9).
 * Required with kernels that ignore {@code ip=} (no {@code CONFIG_IP_PNP}, e.g. Debian's cloud kernel); with kernels
 * that applied it every step finds its work done and is skipped. Each step's failure is logged and the next step
 * still runs: a guest without network is still reachable over vsock and the console.
 */
public final class GuestNetwork {
    /** Where the steps read and write; the real guest paths in production, a temp dir in tests. */
    public record Paths(Path hostname, Path resolvConf, Path pnp) {
        public static Paths guest() {
            return new Paths(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/resolv.conf"),
                    Path.of("/proc/net/pnp"));
        }
    }

    static final List<String> FALLBACK_DNS = List.of("1.1.1.1", "8.8.8.8");

    private final NetLink link;
    private final Paths files;
    private final Log log;

    public GuestNetwork(NetLink link, Paths files, Log log) {
        this.link = link;
        this.files = files;
        this.log = log;
    }

    /** Runs steps 1–4 for the command line's {@code ip=} value (empty when there is none). */
    public void configure(Optional<String> ipValue) {
        Optional<IpToken> token = ipValue.flatMap(IpToken::parse);
        step("loopback", this::loopback);
        token.ifPresent(t -> step("address", () -> address(t)));
        token.ifPresent(t -> step("hostname", () -> hostname(t.hostname())));
        step("dns", () -> resolvConf(token.map(IpToken::dns).orElse(List.of())));
    }

    /** Step 1 alone: needs no identity, so a template does it before its clones exist. */
    public void configureLoopback() {
        step("loopback", this::loopback);
    }

    private interface Step {
        void run() throws IOException;
    }

    private void step(String name, Step s) {
        try {
            s.run();
        } catch (IOException | RuntimeException e) {
            log.info("guest network step failed", "step", name, "error", e.getMessage());
        }
    }

    private void loopback() throws IOException {
        if (!link.isUp("lo")) {
            link.setUp("lo");
            log.info("guest network configured", "device", "lo", "state", "up");
        }
    }

    private void address(IpToken t) throws IOException {
        if (!t.isStatic() && !t.isDhcp()) {
            return;
        }
        if (!link.exists(t.device())) {
            log.info("guest network skipped", "device", t.device(), "reason", "no such device");
            return;
        }
        if (link.hasIpv4(t.device())) {
            return; // the kernel (IP auto-configuration) or the image already did it
        }
        link.setUp(t.device());
        if (t.isStatic()) {
            int prefix = t.prefixLength();
            link.addAddress(t.device(), t.client(), prefix);
            if (!t.gateway().isEmpty()) {
                link.addDefaultRoute(t.gateway(), t.device());
            }
            log.info("guest network configured", "device", t.device(), "address", t.client() + "/" + prefix,
                    "gateway", t.gateway());
        } else if (link.dhcpAvailable()) {
            if (files.resolvConf().getParent() != null) {
                Files.createDirectories(files.resolvConf().getParent()); // the lease script may write DNS there
            }
            link.dhcp(t.device(), t.hostname(), files.resolvConf());
            log.info("guest network configured", "device", t.device(), "method", "dhcp");
        } else {
            log.info("guest network skipped", "device", t.device(), "reason", "dhcp requested but no udhcpc");
        }
    }

    private void hostname(String name) throws IOException {
        if (name.isEmpty()) {
            return;
        }
        String current = Files.exists(files.hostname())
                ? Files.readString(files.hostname(), StandardCharsets.UTF_8).strip() : "";
        if (current.isEmpty() || current.equals("(none)")) {
            Files.writeString(files.hostname(), name, StandardCharsets.UTF_8);
            log.info("guest hostname set", "hostname", name);
        }
    }

    private void resolvConf(List<String> tokenDns) throws IOException {
        Path rc = files.resolvConf();
        if (Files.exists(rc) && !Files.readString(rc, StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        List<String> servers = new ArrayList<>();
        if (Files.isReadable(files.pnp())) {
            for (String line : Files.readAllLines(files.pnp(), StandardCharsets.UTF_8)) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2 && f[0].equals("nameserver") && !f[1].equals("0.0.0.0")) {
                    servers.add(f[1]);
                }
            }
        }
        if (servers.isEmpty()) {
            servers.addAll(tokenDns);
        }
        if (servers.isEmpty()) {
            servers.addAll(FALLBACK_DNS);
        }
        StringBuilder sb = new StringBuilder("# Written by kestrel (no resolv.conf in the image)\n");
        servers.forEach(s -> sb.append("nameserver ").append(s).append('\n'));
        if (rc.getParent() != null) {
            Files.createDirectories(rc.getParent());
        }
        // /etc/resolv.conf may be a dangling symlink (systemd-resolved images); write through a fresh file then.
        if (Files.isSymbolicLink(rc) && !Files.exists(rc)) {
            Files.delete(rc);
        }
        Files.writeString(rc, sb.toString(), StandardCharsets.UTF_8);
        log.info("guest dns configured", "servers", String.join(",", servers));
    }
}
