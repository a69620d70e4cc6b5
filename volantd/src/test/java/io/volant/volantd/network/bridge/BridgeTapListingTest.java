package io.volant.volantd.network.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.volantd.network.TapNames;
import io.volant.volantd.testing.NetnsFixture;
import org.junit.jupiter.api.Test;

/**
 * {@code listTaps} of the real {@code ip} implementation, in a namespace this test creates and deletes: only
 * {@code vttap-} members of volantd's bridge are listed, not other bridge ports nor taps elsewhere.
 */
class BridgeTapListingTest {
    @Test
    void lists_the_vttap_members_of_its_bridge_only() {
        try (NetnsFixture ns = new NetnsFixture("vbrtaps", "10.216.0.1/24")) {
            BridgeNetworkManager net = new BridgeNetworkManager("vbrtaps", new ProcessCommandRunner(ns.name));
            String web = net.prepareTap("web", "02:f9:e8:54:fb:c4");
            String longName = net.prepareTap("deployment-web-12", "02:f9:e8:54:fb:c5");
            ns.exec("ip", "link", "add", "vport0", "type", "veth", "peer", "name", "vport1");
            ns.exec("ip", "link", "set", "vport0", "master", "vbrtaps");          // another port of the bridge
            ns.exec("ip", "tuntap", "add", "dev", "vttap-loose", "mode", "tap"); // a vttap- tap not on it
            ns.exec("ip", "link", "add", "vbrother", "type", "bridge");
            ns.exec("ip", "tuntap", "add", "dev", "vttap-elsewh", "mode", "tap");
            ns.exec("ip", "link", "set", "vttap-elsewh", "master", "vbrother"); // a vttap- on another bridge

            assertThat(net.listTaps()).containsExactlyInAnyOrder(web, longName);
            assertThat(longName).isEqualTo(TapNames.of("deployment-web-12"));

            net.cleanupTap(web);
            assertThat(net.listTaps()).containsExactly(longName);
        }
    }
}
