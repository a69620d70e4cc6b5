package io.volant.kestrel.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.kestrel.Log;
import io.volant.kestrel.testing.InMemoryNetLink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestNetworkTest {
    @TempDir
    Path root;
    private GuestNetwork.Paths paths;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logs, true, StandardCharsets.UTF_8), "kestrel: ");

    @BeforeEach
    void files() throws Exception {
        paths = new GuestNetwork.Paths(root.resolve("hostname"), root.resolve("etc/resolv.conf"), root.resolve("pnp"));
        Files.writeString(paths.hostname(), "(none)\n");
    }

    private void configure(InMemoryNetLink link, String ip) {
        new GuestNetwork(link, paths, log).configure(Optional.ofNullable(ip));
    }

    @Test
    void static_token_configures_loopback_address_route_hostname_and_fallback_dns() throws Exception {
        InMemoryNetLink link = new InMemoryNetLink().with("lo", false).with("eth0", false);

        configure(link, "192.168.127.10::192.168.127.1:255.255.255.0:web-1:eth0:off");

        assertThat(link.links.get("lo").up).isTrue();
        assertThat(link.links.get("eth0").up).isTrue();
        assertThat(link.links.get("eth0").addresses).containsExactly("192.168.127.10/24");
        assertThat(link.defaultRoute).isEqualTo("192.168.127.1 dev eth0");
        assertThat(Files.readString(paths.hostname())).isEqualTo("web-1");
        assertThat(Files.readString(paths.resolvConf())).contains("nameserver 1.1.1.1\nnameserver 8.8.8.8\n");
    }

    @Test
    void already_configured_guest_is_left_alone() throws Exception {
        InMemoryNetLink link = new InMemoryNetLink().with("lo", true, "127.0.0.1/8").with("eth0", true, "10.1.1.1/16");
        Files.writeString(paths.hostname(), "kernel-set\n");
        Files.createDirectories(paths.resolvConf().getParent());
        Files.writeString(paths.resolvConf(), "nameserver 9.9.9.9\n");

        configure(link, "192.168.127.10::192.168.127.1:255.255.255.0:web-1:eth0:off");

        assertThat(link.links.get("eth0").addresses).containsExactly("10.1.1.1/16");
        assertThat(link.defaultRoute).isNull();
        assertThat(Files.readString(paths.hostname())).isEqualTo("kernel-set\n");
        assertThat(Files.readString(paths.resolvConf())).isEqualTo("nameserver 9.9.9.9\n");
    }

    @Test
    void dns_comes_from_proc_net_pnp_then_from_the_token() throws Exception {
        Files.writeString(paths.pnp(), "#PROTO: DHCP\nnameserver 10.0.0.53\nnameserver 0.0.0.0\n");
        configure(new InMemoryNetLink().with("lo", true).with("eth0", true, "10.0.0.2/24"),
                "10.0.0.2::10.0.0.1:255.255.255.0:vm:eth0:off:10.0.0.99");
        assertThat(Files.readString(paths.resolvConf())).contains("nameserver 10.0.0.53\n")
                .doesNotContain("10.0.0.99", "0.0.0.0");

        Files.delete(paths.pnp());
        Files.delete(paths.resolvConf());
        configure(new InMemoryNetLink().with("lo", true).with("eth0", true, "10.0.0.2/24"),
                "10.0.0.2::10.0.0.1:255.255.255.0:vm:eth0:off:10.0.0.99:10.0.0.98");
        assertThat(Files.readString(paths.resolvConf())).contains("nameserver 10.0.0.99\nnameserver 10.0.0.98\n");
    }

    @Test
    void dhcp_token_uses_the_dhcp_client_when_present() throws Exception {
        InMemoryNetLink link = new InMemoryNetLink().with("lo", true).with("eth0", false);
        link.dhcpAvailable = true;

        configure(link, "::::web-2:eth0:dhcp");

        assertThat(link.links.get("eth0").addresses).containsExactly("10.9.0.5/24");
        assertThat(link.defaultRoute).isEqualTo("10.9.0.1 dev eth0");
        assertThat(Files.readString(paths.resolvConf())).isEqualTo("nameserver 10.9.0.53\n");
        assertThat(Files.readString(paths.hostname())).isEqualTo("web-2");
    }

    @Test
    void dhcp_without_a_client_and_a_missing_device_are_logged_not_fatal() throws Exception {
        InMemoryNetLink link = new InMemoryNetLink().with("lo", false).with("eth0", false);
        configure(link, "::::web-2:eth0:dhcp");
        configure(link, "10.0.0.2::10.0.0.1:255.255.255.0:vm:eth1:off");

        assertThat(link.links.get("eth0").addresses).isEmpty();
        assertThat(link.links.get("lo").up).isTrue();
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("dhcp requested but no udhcpc",
                "device=eth1 reason=\"no such device\"");
    }

    @Test
    void no_ip_token_still_brings_up_loopback_and_dns() throws Exception {
        InMemoryNetLink link = new InMemoryNetLink().with("lo", false);
        configure(link, null);
        assertThat(link.links.get("lo").up).isTrue();
        assertThat(Files.readString(paths.resolvConf())).contains("nameserver 1.1.1.1");
        assertThat(Files.readString(paths.hostname())).isEqualTo("(none)\n");
    }
}
