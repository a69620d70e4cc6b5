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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GuestNetwork} over the real {@code ip} program, inside a network namespace this test creates (with a veth
 * pair standing in for the guest's {@code eth0}) and deletes. Needs root and iproute2; skipped otherwise.
 */
class GuestNetworkNetnsTest {
    @TempDir
    Path tmp;

    @Test
    void static_ip_token_is_applied_with_the_ip_program_and_a_second_run_changes_nothing() throws Exception {
        Path ip = Path.of("/usr/sbin/ip");
        HostRequirements.require(Files.isExecutable(ip) && HostRequirements.root(), "needs root and iproute2");
        String ns = "kestrel-test-" + ProcessHandle.current().pid();
        try {
            run(List.of(ip.toString(), "netns", "add", ns));
        } catch (IllegalStateException e) {
            HostRequirements.require(false, "cannot create a network namespace here: " + e.getMessage());
        }
        try {
            try {
                run(List.of(ip.toString(), "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0"));
            } catch (IllegalStateException e) {
                HostRequirements.require(false, "no veth support here: " + e.getMessage());
            }
            run(List.of(ip.toString(), "-n", ns, "link", "set", "peer0", "up"));
            Files.writeString(tmp.resolve("hostname"), "(none)");
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            IpCommandNetLink link = new IpCommandNetLink(List.of(ip.toString(), "-n", ns), Optional.empty());
            GuestNetwork net = new GuestNetwork(link,
                    new GuestNetwork.Paths(tmp.resolve("hostname"), tmp.resolve("resolv.conf"), tmp.resolve("pnp")),
                    new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "kestrel: "));
            String token = "10.200.0.2::10.200.0.1:255.255.255.0:ktest:eth0:off";

            net.configure(Optional.of(token));
            int linesAfterFirst = logs.toString(StandardCharsets.UTF_8).split("\n").length;
            net.configure(Optional.of(token));

            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "link", "show", "dev", "lo"))).contains(",UP");
            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "-4", "addr", "show", "dev", "eth0")))
                    .contains("inet 10.200.0.2/24");
            assertThat(run(List.of(ip.toString(), "-n", ns, "route"))).contains("default via 10.200.0.1 dev eth0");
            assertThat(logs.toString(StandardCharsets.UTF_8).split("\n")).hasSize(linesAfterFirst);
            assertThat(Files.readString(tmp.resolve("hostname"))).isEqualTo("ktest");

            link.setMac("eth0", "52:54:00:aa:bb:cc"); // a clone's identity step, on a link that is up
            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "link", "show", "dev", "eth0")))
                    .contains("link/ether 52:54:00:aa:bb:cc").contains(",UP");
            run(List.of(ip.toString(), "-n", ns, "link", "set", "eth0", "down"));
            link.setMac("eth0", "52:54:00:aa:bb:cd"); // and on one that is down, as a template's eth0 is
            assertThat(run(List.of(ip.toString(), "-n", ns, "-o", "link", "show", "dev", "eth0")))
                    .contains("link/ether 52:54:00:aa:bb:cd").contains(",UP");
        } finally {
            run(List.of(ip.toString(), "netns", "del", ns));
        }
    }
}
