package io.volant.volantd.network.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.volant.volantd.network.PortForwarding.Forward;
import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.testing.NetnsFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated ruleset in a real kernel, inside namespaces this test creates and deletes: a "host" namespace with
 * the VM bridge, two "VM" namespaces on the bridge running socat servers that answer with their name, and a
 * "client" namespace joined to the host by a veth pair (another machine). Nothing touches the root namespace.
 */
class NftNamespaceTest {
    private static final String SUBNET = "10.213.0.0/24";
    private static final String HOST_ADDR = "10.214.0.1";

    private NetnsFixture host;
    private final List<NetnsFixture> others = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private NetnsFixture client;
    private NftPortForwarding forwarding;

    @BeforeEach
    void setUp() {
        host = new NetnsFixture("vbrpub", "10.213.0.1/24");
        host.exec("sysctl", "-w", "net.ipv4.ip_forward=1");
        vm("vm-a", "10.213.0.2");
        vm("vm-b", "10.213.0.3");
        client = namespace();
        host.exec("ip", "link", "add", "vclient", "type", "veth", "peer", "name", "eth0", "netns", client.name);
        host.exec("ip", "addr", "add", HOST_ADDR + "/24", "dev", "vclient");
        host.exec("ip", "link", "set", "vclient", "up");
        client.exec("ip", "addr", "add", "10.214.0.2/24", "dev", "eth0");
        client.exec("ip", "link", "set", "eth0", "up");
        forwarding = new NftPortForwarding(new ProcessCommandRunner(host.name), "vbrpub", SUBNET);
    }

    private NetnsFixture namespace() {
        NetnsFixture ns = new NetnsFixture(null, null);
        others.add(ns);
        return ns;
    }

    /** A namespace standing in for a VM: on the bridge, default route via the host, TCP and UDP servers. */
    private void vm(String name, String ip) {
        NetnsFixture ns = namespace();
        String veth = "v" + name.replace("-", "");
        host.exec("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns.name);
        host.exec("ip", "link", "set", veth, "master", "vbrpub", "up");
        ns.exec("ip", "addr", "add", ip + "/24", "dev", "eth0");
        ns.exec("ip", "link", "set", "eth0", "up");
        ns.exec("ip", "route", "add", "default", "via", "10.213.0.1");
        serve(ns, "TCP-LISTEN:80,fork,reuseaddr", name);
        serve(ns, "UDP-RECVFROM:53,fork", name);
        await().atMost(Duration.ofSeconds(30)).until(() -> ns.exec("ss", "-H", "-l", "-n", "-t", "-u").contains(":53")
                && ns.exec("ss", "-H", "-l", "-n", "-t").contains(":80"));
    }

    private void serve(NetnsFixture ns, String address, String answer) {
        try {
            servers.add(new ProcessBuilder("ip", "netns", "exec", ns.name, "socat", address, "SYSTEM:echo " + answer)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void tearDown() {
        servers.forEach(p -> {
            p.destroy();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        others.forEach(NetnsFixture::close);
        if (host != null) {
            host.close();
        }
    }

    private static String tcp(NetnsFixture from, String address, int port) {
        return from.exec("socat", "-T", "5", "-", "TCP:" + address + ":" + port).strip();
    }

    private static String udp(NetnsFixture from, String address, int port) {
        return from.exec("sh", "-c", "echo ping | socat -T 5 - UDP:" + address + ":" + port).strip();
    }

    @Test
    void connections_from_another_host_are_spread_over_every_backend() {
        forwarding.replace(List.of(new Forward("tcp", 8080, List.of("10.213.0.2", "10.213.0.3"), 80,
                "deployment web")));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            seen.add(tcp(client, HOST_ADDR, 8080));
        }
        assertThat(seen).containsExactlyInAnyOrder("vm-a", "vm-b");
    }

    @Test
    void the_host_itself_reaches_a_published_port_on_loopback_and_on_its_own_address() {
        forwarding.replace(List.of(new Forward("tcp", 8080, List.of("10.213.0.3"), 80, "vm vm-b")));
        assertThat(tcp(host, "127.0.0.1", 8080)).isEqualTo("vm-b");
        assertThat(tcp(host, HOST_ADDR, 8080)).isEqualTo("vm-b");
        // A VM reaching the published port through the host (hairpin) gets its answer too.
        assertThat(tcp(others.getFirst(), "10.213.0.1", 8080)).isEqualTo("vm-b");
    }

    @Test
    void udp_is_published_separately_from_tcp() {
        forwarding.replace(List.of(new Forward("udp", 5353, List.of("10.213.0.2"), 53, "vm vm-a"),
                new Forward("tcp", 5353, List.of("10.213.0.3"), 80, "vm vm-b")));
        assertThat(udp(client, HOST_ADDR, 5353)).isEqualTo("vm-a");
        assertThat(tcp(client, HOST_ADDR, 5353)).isEqualTo("vm-b");
    }

    @Test
    void a_replacement_moves_traffic_and_removal_leaves_no_rule() {
        forwarding.replace(List.of(new Forward("tcp", 8080, List.of("10.213.0.2"), 80, "vm vm-a")));
        assertThat(tcp(client, HOST_ADDR, 8080)).isEqualTo("vm-a");
        forwarding.replace(List.of(new Forward("tcp", 8080, List.of("10.213.0.3"), 80, "vm vm-b")));
        assertThat(tcp(client, HOST_ADDR, 8080)).isEqualTo("vm-b");
        assertThat(host.exec("nft", "list", "ruleset")).contains("table ip volant").contains("comment \"vm vm-b\"")
                .doesNotContain("vm vm-a");

        forwarding.remove();
        assertThat(host.exec("nft", "list", "ruleset")).doesNotContain("volant");
        forwarding.remove(); // absent table: still fine
        assertThat(host.tryExec("socat", "-T", "2", "-", "TCP:" + HOST_ADDR + ":8080").code()).isNotZero();
    }

    @Test
    void a_port_bound_by_a_process_in_the_namespace_is_named() {
        assertThat(forwarding.listener("tcp", 9999)).isEmpty();
        serve(host, "TCP-LISTEN:9999,reuseaddr", "x");
        await().atMost(Duration.ofSeconds(30)).until(() -> forwarding.listener("tcp", 9999).isPresent());
        assertThat(forwarding.listener("tcp", 9999).orElseThrow()).startsWith("socat (pid ");
    }
}
