package io.volant.volantd.network.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MacAddressesTest {
    @Test
    void ac_n5_mac_is_02_plus_five_bytes_of_sha1_over_name_pipe_ip() {
        assertThat(MacAddresses.derive("web", "192.168.127.10")).isEqualTo("02:f9:e8:54:fb:c4");
        assertThat(MacAddresses.derive("web", "")).isEqualTo("02:80:e4:ef:e1:cb");
        assertThat(MacAddresses.derive("demo-1", "192.168.127.100")).isEqualTo("02:42:46:84:f4:46");
        assertThat(MacAddresses.derive("vm-test-1", "192.168.127.10")).isEqualTo("02:29:9d:37:b8:3c");
    }
}
