package io.volant.volantd.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.manifest.Manifest;
import io.volant.manifest.Manifests;
import io.volant.manifest.NetworkConfig;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.Subnet;
import io.volant.volantd.vm.VmConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Network decisions, pool derivation, MACs and tap names (host-runtime.md §10 AC-U1..U3, AC-N1, N2, N5, N6). */
class NetworkRulesTest {
    private static Manifest manifest(String mode) {
        String net = mode == null ? "" : ",\"network\":{\"mode\":\"" + mode + "\"}";
        return Manifests.parse("{\"name\":\"browser\",\"runtime\":\"browser\"" + net + "}");
    }

    private static NetworkConfig net(String mode) {
        return new NetworkConfig(mode, "", "", false);
    }

    @Test
    void the_config_network_replaces_the_manifest_network_wholesale() {
        assertThat(VmConfigs.effectiveNetwork(null, manifest(null))).isNull();
        assertThat(VmConfigs.effectiveNetwork(null, manifest("vsock")).mode()).isEqualTo("vsock");
        assertThat(VmConfigs.effectiveNetwork(net("bridged"), manifest(null)).mode()).isEqualTo("bridged");
        assertThat(VmConfigs.effectiveNetwork(net("dhcp"), manifest("vsock")).mode()).isEqualTo("dhcp");
    }

    @Test
    void an_ip_is_leased_only_for_bridged_or_no_mode() {
        assertThat(VmConfigs.needsIp(null)).isTrue();
        assertThat(VmConfigs.needsIp(net("vsock"))).isFalse();
        assertThat(VmConfigs.needsIp(net("bridged"))).isTrue();
        assertThat(VmConfigs.needsIp(net("dhcp"))).isFalse();
        assertThat(VmConfigs.needsIp(net(""))).isTrue();
        assertThat(VmConfigs.needsIp(net("VSOCK"))).isFalse();
    }

    @Test
    void a_tap_is_created_for_every_mode_but_vsock() {
        assertThat(VmConfigs.needsTap(null)).isTrue();
        assertThat(VmConfigs.needsTap(net("vsock"))).isFalse();
        assertThat(VmConfigs.needsTap(net("bridged"))).isTrue();
        assertThat(VmConfigs.needsTap(net("dhcp"))).isTrue();
        assertThat(VmConfigs.needsTap(net(""))).isTrue();
        assertThat(VmConfigs.needsTap(net("VSOCK"))).isFalse();
    }

    @Test
    void the_pool_excludes_network_broadcast_and_host() {
        List<String> pool = Subnet.parse("192.168.127.0/24").pool("192.168.127.1");
        assertThat(pool).hasSize(253);
        assertThat(pool.get(0)).isEqualTo("192.168.127.2");
        assertThat(pool.get(252)).isEqualTo("192.168.127.254");
        assertThat(Subnet.parse("10.0.0.0/30").pool("10.0.0.1")).containsExactly("10.0.0.2");
        assertThat(Subnet.parse("192.168.127.5/24").toString()).isEqualTo("192.168.127.0/24");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/31").pool("10.0.0.1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no assignable IPs in subnet 10.0.0.0/31");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.1/32").pool("10.0.0.1")).hasMessageContaining("invalid subnet mask: ffffffff");
        assertThatThrownBy(() -> Subnet.parse("fd00::/64")).hasMessageContaining("ipv6 subnets are not supported: fd00::/64");
    }

    @Test
    void the_in_memory_manager_refuses_a_tap_held_by_another_vm() {
        InMemoryNetworkManager n = new InMemoryNetworkManager();
        String tap = n.prepareTap("web", "02:00:00:00:00:01");
        assertThat(n.prepareTap("web", "02:00:00:00:00:01")).isEqualTo(tap);
        n.cleanupTap("");
        n.cleanupTap(tap);
        assertThat(n.taps()).isEmpty();
    }
}
