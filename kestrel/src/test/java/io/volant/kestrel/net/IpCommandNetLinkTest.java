package io.volant.kestrel.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IpCommandNetLinkTest {
    @Test
    void link_flags_are_read_from_ip_link_output() {
        assertThat(IpCommandNetLink.linkFlagsUp(
                "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT")).isTrue();
        assertThat(IpCommandNetLink.linkFlagsUp("2: eth0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN"))
                .isFalse();
        assertThat(IpCommandNetLink.linkFlagsUp("garbage")).isFalse();
    }

    @Test
    void udhcpc_script_applies_the_lease_with_the_same_ip_program() {
        String s = IpCommandNetLink.udhcpcScript("/bin/busybox ip", "/etc/resolv.conf");
        assertThat(s).startsWith("#!/bin/sh\n")
                .contains("/bin/busybox ip addr add \"$ip/${mask:-24}\" dev \"$interface\"")
                .contains("/bin/busybox ip route replace default via \"$r\" dev \"$interface\"")
                .contains("> '/etc/resolv.conf'");
    }

    @Test
    void read_only_queries_work_against_the_real_ip_program() throws Exception {
        // Read-only: never changes the host's networking. Skipped silently where no ip program exists.
        if (IpCommandNetLink.locate().isEmpty() || !Files.exists(Path.of("/sys/class/net/lo"))) {
            return;
        }
        IpCommandNetLink ip = IpCommandNetLink.locate().orElseThrow();
        assertThat(ip.exists("lo")).isTrue();
        assertThat(ip.exists("no-such-dev0")).isFalse();
    }
}
