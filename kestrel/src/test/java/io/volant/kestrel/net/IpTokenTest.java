package io.volant.kestrel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTokenTest {
    @Test
    void volant_static_form_is_parsed() {
        IpToken t = IpToken.parse("192.168.127.10::192.168.127.1:255.255.255.0:web-1:eth0:off").orElseThrow();
        assertThat(t.client()).isEqualTo("192.168.127.10");
        assertThat(t.gateway()).isEqualTo("192.168.127.1");
        assertThat(t.hostname()).isEqualTo("web-1");
        assertThat(t.device()).isEqualTo("eth0");
        assertThat(t.isStatic()).isTrue();
        assertThat(t.isDhcp()).isFalse();
        assertThat(t.prefixLength()).isEqualTo(24);
        assertThat(t.dns()).isEmpty();
    }

    @Test
    void dhcp_forms_and_dns_fields_are_parsed() {
        IpToken t = IpToken.parse("::::web-2:eth0:dhcp:10.0.0.53:0.0.0.0").orElseThrow();
        assertThat(t.isDhcp()).isTrue();
        assertThat(t.isStatic()).isFalse();
        assertThat(t.hostname()).isEqualTo("web-2");
        assertThat(t.dns()).isEqualTo(List.of("10.0.0.53"));
        assertThat(IpToken.parse("dhcp").orElseThrow().isDhcp()).isTrue();
        assertThat(IpToken.parse("off")).isEmpty();
        assertThat(IpToken.parse("")).isEmpty();
    }

    @Test
    void empty_address_with_autoconf_off_configures_nothing() {
        IpToken t = IpToken.parse("::10.0.0.1:255.255.255.0:vm:eth0:off").orElseThrow();
        assertThat(t.isStatic()).isFalse();
        assertThat(t.isDhcp()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> /{1}")
    @CsvSource({"255.255.255.0, 24", "255.255.0.0, 16", "255.255.255.252, 30", "255.255.255.255, 32", "0.0.0.0, 0",
            "20, 20"})
    void netmask_becomes_a_prefix_length(String mask, int prefix) {
        assertThat(IpToken.parse("10.0.0.2::10.0.0.1:" + mask + ":vm:eth0:off").orElseThrow().prefixLength())
                .isEqualTo(prefix);
    }

    @Test
    void non_contiguous_netmask_is_rejected_with_the_value() {
        IpToken t = IpToken.parse("10.0.0.2::10.0.0.1:255.0.255.0:vm:eth0:off").orElseThrow();
        assertThatThrownBy(t::prefixLength).hasMessageContaining("255.0.255.0").hasMessageContaining("contiguous");
    }

    @Test
    void classful_default_without_netmask() {
        assertThat(IpToken.parse("10.0.0.2::::vm:eth0:off").orElseThrow().prefixLength()).isEqualTo(8);
        assertThat(IpToken.parse("192.168.1.2::::vm:eth0:off").orElseThrow().prefixLength()).isEqualTo(24);
    }
}
