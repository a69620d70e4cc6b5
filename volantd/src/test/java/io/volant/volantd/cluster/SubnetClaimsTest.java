package io.volant.volantd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.config.Subnet;
import io.volant.volantd.testing.MutableClock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubnetClaimsTest {
    private final InMemoryClusterStore store = new InMemoryClusterStore(new MutableClock());
    private final Subnet range = Subnet.parse("10.210.0.0/22");

    @Test
    void each_node_gets_its_own_subnet_and_the_same_one_again_after_a_restart() {
        List<Subnet> first = IntStream.rangeClosed(1, 3).mapToObj(i -> SubnetClaims.claim(store, "n" + i, range, 24)).toList();
        assertThat(first).extracting(Subnet::toString).containsExactly("10.210.0.0/24", "10.210.1.0/24", "10.210.2.0/24");
        assertThat(SubnetClaims.claim(store, "n2", range, 24)).isEqualTo(first.get(1));
    }

    @Test
    void the_first_stored_range_wins_over_a_later_nodes_configuration() {
        SubnetClaims.claim(store, "n1", range, 24);
        Subnet other = SubnetClaims.claim(store, "n2", Subnet.parse("172.16.0.0/16"), 24);
        assertThat(other.toString()).isEqualTo("10.210.1.0/24");
    }

    @Test
    void a_full_range_is_an_error_naming_the_range_and_the_node() {
        IntStream.rangeClosed(1, 4).forEach(i -> SubnetClaims.claim(store, "n" + i, range, 24));
        assertThatThrownBy(() -> SubnetClaims.claim(store, "n5", range, 24)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cluster guest range 10.210.0.0/22 has no free /24 subnet left for node n5");
    }

    @Test
    void a_subnet_claimed_by_another_node_meanwhile_is_skipped() {
        store.create(SubnetClaims.key(Subnet.parse("10.210.0.0/24")), "racer", 0);
        assertThat(SubnetClaims.claim(store, "n1", range, 24).toString()).isEqualTo("10.210.1.0/24");
    }

    @Test
    void an_unreachable_store_fails_the_claim() {
        store.unreachable(true);
        assertThatThrownBy(() -> SubnetClaims.claim(store, "n1", range, 24)).isInstanceOf(ClusterStoreException.class);
    }
}
