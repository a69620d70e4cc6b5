package io.volant.volantd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static final Map<String, String> CLUSTER = Map.of(
            "VOLANT_CLUSTER_ETCD", "http://10.0.0.1:2379, http://10.0.0.2:2379/",
            "VOLANT_NODE_NAME", "node-a",
            "VOLANT_NODE_URL", "http://10.0.0.1:7777");

    private static Map<String, String> with(String name, String value) {
        var m = new java.util.HashMap<>(CLUSTER);
        m.put(name, value);
        return m;
    }

    @Test
    void cluster_mode_is_off_without_etcd_endpoints() {
        ClusterSettings s = ClusterSettings.fromEnv(Map.of());
        assertThat(s.enabled()).isFalse();
        assertThat(s.nodeName()).isEqualTo("local");
        assertThat(VolantdConfig.forDirectory(java.nio.file.Path.of("/tmp/x")).cluster()).isEqualTo(ClusterSettings.OFF);
    }

    @Test
    void endpoints_name_url_lease_and_labels_are_read() {
        ClusterSettings s = ClusterSettings.fromEnv(with("VOLANT_NODE_LABELS", "zone=a, disk=ssd"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.etcdEndpoints()).isEqualTo(List.of("http://10.0.0.1:2379", "http://10.0.0.2:2379"));
        assertThat(s.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.labels()).isEqualTo(Map.of("zone", "a", "disk", "ssd"));
        assertThat(ClusterSettings.fromEnv(with("VOLANT_CLUSTER_LEASE_SECONDS", "3")).leaseTtl())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(s.guestRange()).isEqualTo(ClusterSettings.DEFAULT_GUEST_RANGE);
        assertThat(ClusterSettings.fromEnv(with("VOLANT_CLUSTER_SUBNETS", "10.50.0.0/20")).guestRange())
                .hasToString("10.50.0.0/20");
    }

    @Test
    void bad_values_fail_naming_the_variable() {
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_NODE_NAME", "Node_A")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VOLANT_NODE_NAME \"Node_A\"");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_NODE_NAME", "")))
                .hasMessageContaining("VOLANT_NODE_NAME is required");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_NODE_URL", "10.0.0.1:7777")))
                .hasMessageContaining("VOLANT_NODE_URL \"10.0.0.1:7777\"");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_CLUSTER_ETCD", "etcd:2379")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD \"etcd:2379\"");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_CLUSTER_LEASE_SECONDS", "1")))
                .hasMessageContaining("VOLANT_CLUSTER_LEASE_SECONDS 1: must be between 2 and 3600");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_CLUSTER_LEASE_SECONDS", "ten")))
                .hasMessageContaining("VOLANT_CLUSTER_LEASE_SECONDS \"ten\"");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_NODE_LABELS", "zone")))
                .hasMessageContaining("VOLANT_NODE_LABELS entry \"zone\"");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_CLUSTER_SUBNETS", "10.50.0.0/24")))
                .hasMessageContaining("VOLANT_CLUSTER_SUBNETS 10.50.0.0/24: must be wider than the /24 each node takes");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(with("VOLANT_CLUSTER_SUBNETS", "10.50.0.0")))
                .hasMessageContaining("invalid VOLANT_CLUSTER_SUBNETS");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(Map.of("VOLANT_NODE_NAME", "a")))
                .hasMessageContaining("VOLANT_NODE_NAME is set but VOLANT_CLUSTER_ETCD is not");
    }

    @Test
    void the_loader_carries_the_cluster_settings() {
        var env = new java.util.HashMap<>(CLUSTER);
        env.put("VOLANT_RUNTIME_BACKEND", "simulated");
        assertThat(ConfigLoader.load(env, "/tmp", false).cluster().nodeName()).isEqualTo("node-a");
    }
}
