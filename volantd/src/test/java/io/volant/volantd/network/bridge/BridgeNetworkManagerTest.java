package io.volant.volantd.network.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.network.NetworkException;
import io.volant.volantd.testing.FakeIp;
import org.junit.jupiter.api.Test;

class BridgeNetworkManagerTest {
    private final FakeIp ip = new FakeIp().bridge("vbr0", false);
    private final BridgeNetworkManager net = new BridgeNetworkManager("vbr0", ip);

    @Test
    void prepare_creates_an_up_tap_on_the_bridge_and_brings_the_bridge_up() {
        String tap = net.prepareTap("web", "02:f9:e8:54:fb:c4");

        assertThat(tap).isEqualTo("vttap-web");
        assertThat(ip.links.get("vttap-web").master).isEqualTo("vbr0");
        assertThat(ip.links.get("vttap-web").up).isTrue();
        assertThat(ip.links.get("vbr0").up).isTrue();
    }

    @Test
    void cleanup_removes_the_tap_and_an_absent_tap_counts_as_cleaned() {
        String tap = net.prepareTap("web", "02:f9:e8:54:fb:c4");
        net.cleanupTap(tap);

        assertThat(ip.links).doesNotContainKey(tap);
        assertThatCode(() -> net.cleanupTap(tap)).doesNotThrowAnyException();
        assertThatCode(() -> net.cleanupTap("")).doesNotThrowAnyException();
    }

    @Test
    void a_missing_bridge_fails_naming_it() {
        BridgeNetworkManager other = new BridgeNetworkManager("vbr9", ip);
        assertThatThrownBy(() -> other.prepareTap("web", "02:f9:e8:54:fb:c4")).isInstanceOf(NetworkException.class)
                .hasMessage("bridge vbr9 not present: Device \"vbr9\" does not exist.");
    }

    @Test
    void an_invalid_mac_is_refused_before_any_tap_exists() {
        assertThatThrownBy(() -> net.prepareTap("web", "zz:00")).hasMessageStartingWith("invalid mac address zz:00");
        assertThat(ip.links).containsOnlyKeys("vbr0");
    }

    @Test
    void a_leftover_tap_of_a_crashed_volantd_is_replaced() {
        ip.tap("vttap-web", "vbr0");

        net.prepareTap("web", "02:f9:e8:54:fb:c4");

        assertThat(ip.calls.stream().map(c -> String.join(" ", c))).containsSubsequence("ip link del dev vttap-web",
                "ip tuntap add dev vttap-web mode tap vnet_hdr");
        assertThat(ip.links.get("vttap-web").master).isEqualTo("vbr0");
    }

    @Test
    void a_failing_attach_deletes_the_new_tap() {
        ip.failOn("master vbr0");

        assertThatThrownBy(() -> net.prepareTap("web", "02:f9:e8:54:fb:c4"))
                .hasMessage("attach tap to bridge: RTNETLINK answers: Operation not permitted");
        assertThat(ip.links).doesNotContainKey("vttap-web");
    }
}
