package io.volant.volantd.network.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.config.Subnet;
import io.volant.volantd.network.Macs;
import io.volant.volantd.network.TapNames;
import io.volant.volantd.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deterministic networking lines of host-runtime.md §10 (AC-N1, N2, N3, N5, N6) over the real store. */
class NetworkAcceptanceTest {
    @TempDir
    Path dir;

    @Test
    void ac_n1_default_pool_has_253_addresses_leased_in_numeric_order() {
        List<String> pool = Subnet.parse("192.168.127.0/24").pool("192.168.127.1");
        assertThat(pool).hasSize(253);
        try (Store store = Store.open(dir.resolve("state.db"))) {
            store.write(tx -> {
                tx.ips().ensurePool(pool);
                return null;
            });
            List<String> leases = new ArrayList<>();
            for (int i = 0; i < 253; i++) {
                leases.add(store.write(tx -> tx.ips().leaseNextAvailable()));
            }
            assertThat(leases.subList(0, 3)).containsExactly("192.168.127.2", "192.168.127.3", "192.168.127.4");
            assertThat(leases.get(252)).isEqualTo("192.168.127.254");
            assertThatThrownBy(() -> store.write(tx -> tx.ips().leaseNextAvailable()))
                    .hasMessage("db: no available ip addresses");
        }
    }

    @Test
    void ac_n2_small_and_invalid_subnets() {
        assertThat(Subnet.parse("10.0.0.0/30").pool("10.0.0.1")).containsExactly("10.0.0.2");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/31").pool("10.0.0.1"))
                .hasMessageEndingWith("no assignable IPs in subnet 10.0.0.0/31");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.1/32").pool("10.0.0.1"))
                .hasMessageEndingWith("invalid subnet mask: ffffffff");
        assertThatThrownBy(() -> Subnet.parse("fd00::/64")).hasMessageContaining("ipv6 subnets are not supported");
    }

    @Test
    void ac_n3_a_released_address_is_the_next_lease_again() {
        try (Store store = Store.open(dir.resolve("state.db"))) {
            store.write(tx -> {
                tx.ips().ensurePool(Subnet.parse("192.168.127.0/24").pool("192.168.127.1"));
                return null;
            });
            String first = store.write(tx -> tx.ips().leaseNextAvailable());
            store.write(tx -> tx.ips().leaseNextAvailable());
            store.write(tx -> {
                tx.ips().release(first);
                return null;
            });
            String again = store.write(tx -> tx.ips().leaseNextAvailable());
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void ac_n5_mac_is_02_plus_five_bytes_of_sha1_over_name_pipe_ip() {
        assertThat(Macs.derive("web", "192.168.127.10")).isEqualTo("02:f9:e8:54:fb:c4");
        assertThat(Macs.derive("web", "")).isEqualTo("02:80:e4:ef:e1:cb");
        assertThat(Macs.derive("demo-1", "192.168.127.100")).isEqualTo("02:42:46:84:f4:46");
        assertThat(Macs.derive("vm-test-1", "192.168.127.10")).isEqualTo("02:29:9d:37:b8:3c");
        MacAddresses.check(Macs.derive("web", ""));
    }

    @Test
    void ac_n6_tap_names_are_canonical_or_hashed_and_at_most_15_characters() {
        assertThat(TapNames.of("web")).isEqualTo("vttap-web");
        assertThat(TapNames.of("caddy-demo-1")).isEqualTo("vttap-cad63a02f");
        assertThat(TapNames.of("my-very-long-vm-name")).isEqualTo("vttap-myv036a14");
        assertThat(TapNames.of("Web-01")).isEqualTo("vttap-webf8e0ed");
        assertThat(TapNames.of("web-1")).isEqualTo("vttap-webc4719a");
        assertThat(TapNames.of("---")).isEqualTo("vttap-vmcb3f91");
        List<String> taps = Stream.of("web", "caddy-demo-1", "my-very-long-vm-name", "Web-01", "---",
                "x".repeat(200)).map(TapNames::of).toList();
        assertThat(taps).allMatch(t -> t.length() <= 15);
    }
}
