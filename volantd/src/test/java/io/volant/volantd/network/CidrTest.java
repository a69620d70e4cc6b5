package io.volant.volantd.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void networks_contain_their_addresses_and_bare_addresses_are_single_hosts() {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains(Cidr.literal("10.200.1.1"))).isTrue();
        assertThat(ten.contains(Cidr.literal("11.0.0.1"))).isFalse();
        Cidr host = Cidr.parse("192.168.1.5");
        assertThat(host.contains(Cidr.literal("192.168.1.5"))).isTrue();
        assertThat(host.contains(Cidr.literal("192.168.1.6"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(Cidr.literal("::1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("8.8.8.8"))).isTrue();
    }

    @Test
    void ipv4_mapped_ipv6_peers_compare_as_ipv4() {
        assertThat(Cidr.parse("127.0.0.0/8").contains(Cidr.literal("::ffff:127.0.0.1"))).isTrue();
    }

    @Test
    void invalid_entries_name_the_variable_and_the_entry() {
        assertThatThrownBy(() -> Cidr.parseList("10.0.0.0/8, 10.0.0.0/33", "VOLANT_API_ALLOW_CIDR"))
                .hasMessage("invalid CIDR in VOLANT_API_ALLOW_CIDR: 10.0.0.0/33");
        assertThatThrownBy(() -> Cidr.parseList("example.com", "VOLANT_TRUSTED_PROXIES"))
                .hasMessage("invalid CIDR in VOLANT_TRUSTED_PROXIES: example.com");
        assertThatThrownBy(() -> Cidr.parseList("300.1.1.1", "X")).hasMessage("invalid CIDR in X: 300.1.1.1");
        assertThat(Cidr.parseList(" ,10.0.0.0/8,, ", "X")).isEqualTo(List.of(Cidr.parse("10.0.0.0/8")));
    }

    @Test
    void host_names_are_never_resolved() {
        assertThat(Cidr.literal("localhost")).isNull();
        assertThat(Cidr.literal("")).isNull();
        assertThat(Cidr.literal("1.2.3")).isNull();
    }
}
