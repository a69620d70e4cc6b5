package io.volant.kestrel.net;

import static io.volant.kestrel.testing.Commands.run;
import io.volant.testing.HostRequirements;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dhcp form of {@code ip=} against a real BusyBox {@code udhcpd}: server and client each in a network namespace
 * this test creates and deletes, joined by a veth pair. Needs root, iproute2 and BusyBox; skipped otherwise.
 */
class DhcpNetnsTest {
    private static final String IP = "/usr/sbin/ip";

    @TempDir
    Path tmp;

    @Test
    void dhcp_token_obtains_and_applies_a_lease_with_udhcpc() throws Exception {
        Optional<String> busybox = List.of("/usr/bin/busybox", "/bin/busybox").stream()
                .filter(b -> Files.isExecutable(Path.of(b))).findFirst();
        HostRequirements.require(busybox.isPresent() && Files.isExecutable(Path.of(IP))
                && "root".equals(System.getProperty("user.name")), "needs root, iproute2 and busybox");
        String srv = "kestrel-dhcps-" + ProcessHandle.current().pid();
        String cli = "kestrel-dhcpc-" + ProcessHandle.current().pid();
        try {
            run(IP, "netns", "add", srv);
        } catch (IllegalStateException e) {
            HostRequirements.require(false, "cannot create a network namespace here: " + e.getMessage());
        }
        Process udhcpd = null;
        try {
            run(IP, "netns", "add", cli);
            try {
                run(IP, "-n", cli, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0", "netns", srv);
            } catch (IllegalStateException e) {
                HostRequirements.require(false, "no veth support here: " + e.getMessage());
            }
            run(IP, "-n", srv, "addr", "add", "10.201.0.1/24", "dev", "peer0");
            run(IP, "-n", srv, "link", "set", "peer0", "up");
            Files.writeString(tmp.resolve("leases"), "");
            Files.writeString(tmp.resolve("udhcpd.conf"), """
                    start 10.201.0.50
                    end 10.201.0.60
                    interface peer0
                    lease_file %1$s/leases
                    pidfile %1$s/udhcpd.pid
                    option subnet 255.255.255.0
                    option router 10.201.0.1
                    option dns 10.201.0.53
                    """.formatted(tmp));
            udhcpd = new ProcessBuilder(IP, "netns", "exec", srv, busybox.get(), "udhcpd", "-f",
                    tmp.resolve("udhcpd.conf").toString()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("udhcpd.log").toFile()).start();
            Files.writeString(tmp.resolve("hostname"), "(none)");
            GuestNetwork net = new GuestNetwork(
                    new IpCommandNetLink(List.of(IP, "-n", cli),
                            Optional.of(List.of(IP, "netns", "exec", cli, busybox.get(), "udhcpc"))),
                    new GuestNetwork.Paths(tmp.resolve("hostname"), tmp.resolve("etc/resolv.conf"), tmp.resolve("pnp")),
                    new Log(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "k: "));

            net.configure(Optional.of("::::ktest:eth0:dhcp"));

            assertThat(run(IP, "-n", cli, "-o", "-4", "addr", "show", "dev", "eth0")).containsPattern(
                    "inet 10\\.201\\.0\\.(5\\d|60)/24");
            assertThat(run(IP, "-n", cli, "route")).contains("default via 10.201.0.1 dev eth0");
            assertThat(Files.readString(tmp.resolve("etc/resolv.conf"))).isEqualTo("nameserver 10.201.0.53\n");
            assertThat(Files.readString(tmp.resolve("hostname"))).isEqualTo("ktest");
        } finally {
            if (udhcpd != null) {
                udhcpd.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                udhcpd.destroyForcibly();
                udhcpd.waitFor(10, TimeUnit.SECONDS);
            }
            try {
                run(IP, "netns", "del", cli);
            } finally {
                run(IP, "netns", "del", srv);
            }
        }
    }
}
