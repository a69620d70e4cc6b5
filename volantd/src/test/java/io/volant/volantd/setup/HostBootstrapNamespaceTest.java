package io.volant.volantd.setup;

import io.volant.testing.HostRequirements;
import static org.assertj.core.api.Assertions.assertThat;

import io.volant.hostsetup.HostBootstrap;
import io.volant.volantd.hypervisor.Backends;
import io.volant.volantd.network.bridge.ProcessCommandRunner;
import io.volant.volantd.testing.Cmd;
import io.volant.volantd.testing.NetnsFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The startup bootstrap (host-runtime.md §4.7 Chosen) run for real inside a throw-away network namespace. */
class HostBootstrapNamespaceTest {

    @Test
    void bootstrap_inside_a_namespace_creates_the_bridge_and_rules_once() {
        HostRequirements.require(HostRequirements.root() && Cmd.available("iptables"),
                "needs root and iptables");
        try (NetnsFixture ns = new NetnsFixture("vbrdummy", "10.250.0.1/24")) {
            HostBootstrap boot = new HostBootstrap(Backends.hostCommands(new ProcessCommandRunner(ns.name)));

            List<String> first = boot.apply("vbr9", "10.9.0.0/24", "10.9.0.1/24");
            List<String> second = boot.apply("vbr9", "10.9.0.0/24", "10.9.0.1/24");

            assertThat(first).hasSize(7).last().isEqualTo("iptables -A FORWARD -o vbr9 -j ACCEPT");
            assertThat(second).hasSize(4).doesNotContain("iptables -A FORWARD -i vbr9 -j ACCEPT");
            assertThat(ns.exec("ip", "-o", "addr", "show", "dev", "vbr9")).contains("10.9.0.1/24");
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.ip_forward").trim()).isEqualTo("1");
            assertThat(ns.exec("iptables", "-t", "nat", "-S", "POSTROUTING"))
                    .contains("-A POSTROUTING -s 10.9.0.0/24 ! -o vbr9 -j MASQUERADE");
        }
    }
}
