package io.volant.volantd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.hostsetup.tls.SelfSigned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private static Map<String, String> tls(Path dir, String endpoints, String... vars) throws Exception {
        var ca = SelfSigned.authority("etcd-ca", Duration.ofDays(1));
        ca.write(dir, "ca");
        SelfSigned.issued(ca, "volantd", List.of(), Duration.ofDays(1)).write(dir, "client");
        var env = new java.util.HashMap<>(with("VOLANT_CLUSTER_ETCD", endpoints));
        for (int i = 0; i < vars.length; i += 2) {
            boolean file = vars[i].matches(".*_(CA|CERT|KEY)") && !vars[i + 1].startsWith("/");
            env.put(vars[i], file ? dir.resolve(vars[i + 1]).toString() : vars[i + 1]);
        }
        return env;
    }

    @Test
    void https_endpoints_carry_the_ca_and_the_client_certificate(@TempDir Path dir) throws Exception {
        ClusterSettings s = ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379,https://10.0.0.2:2379",
                "VOLANT_CLUSTER_ETCD_CA", "ca.crt", "VOLANT_CLUSTER_ETCD_CERT", "client.crt",
                "VOLANT_CLUSTER_ETCD_KEY", "client.key"));
        assertThat(s.etcdHttps()).isTrue();
        assertThat(s.etcdTls()).isEqualTo(new EtcdTlsFiles(dir.resolve("ca.crt"), dir.resolve("client.crt"),
                dir.resolve("client.key")));
        assertThat(s.etcdTls().clientCertificate()).isTrue();
        // https:// alone: the JDK's trust store, no client certificate
        ClusterSettings plain = ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379"));
        assertThat(plain.etcdHttps()).isTrue();
        assertThat(plain.etcdTls()).isEqualTo(EtcdTlsFiles.NONE);
        assertThat(ClusterSettings.fromEnv(CLUSTER).etcdHttps()).isFalse();
    }

    @Test
    void tls_settings_that_would_be_ignored_or_are_incomplete_fail(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379,http://10.0.0.2:2379")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid VOLANT_CLUSTER_ETCD").hasMessageContaining("mixes http:// and https://");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "http://10.0.0.1:2379", "VOLANT_CLUSTER_ETCD_CA", "ca.crt")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_CA is set but VOLANT_CLUSTER_ETCD uses http:// endpoints");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "http://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_CERT", "client.crt", "VOLANT_CLUSTER_ETCD_KEY", "client.key")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_CERT is set but VOLANT_CLUSTER_ETCD uses http:// endpoints");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379", "VOLANT_CLUSTER_ETCD_CERT", "client.crt")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_CERT and VOLANT_CLUSTER_ETCD_KEY must be set together");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379", "VOLANT_CLUSTER_ETCD_KEY", "client.key")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_CERT and VOLANT_CLUSTER_ETCD_KEY must be set together");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(Map.of("VOLANT_CLUSTER_ETCD_CA", "/etc/ca.pem")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_CA is set but VOLANT_CLUSTER_ETCD is not");
    }

    @Test
    void unreadable_or_malformed_tls_files_fail_naming_the_variable_and_the_file(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("garbage.pem"), "not PEM at all\n");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_CA", "missing.crt")))
                .hasMessageContaining("invalid VOLANT_CLUSTER_ETCD_CA \"" + dir.resolve("missing.crt") + "\": not a readable file");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_CA", "garbage.pem")))
                .hasMessageContaining("invalid VOLANT_CLUSTER_ETCD_CA \"" + dir.resolve("garbage.pem") + "\": not a PEM certificate");
        // a key where the certificate belongs, and a certificate where the key belongs
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_CERT", "client.key", "VOLANT_CLUSTER_ETCD_KEY", "client.key")))
                .hasMessageContaining("invalid VOLANT_CLUSTER_ETCD_CERT \"" + dir.resolve("client.key") + "\": not a PEM certificate");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_CERT", "client.crt", "VOLANT_CLUSTER_ETCD_KEY", "client.crt")))
                .hasMessageContaining("invalid VOLANT_CLUSTER_ETCD_KEY \"" + dir.resolve("client.crt")
                        + "\": not an unencrypted PEM private key");
    }

    @Test
    void an_etcd_user_needs_its_password_and_https_and_its_password_is_never_printed(@TempDir Path dir) throws Exception {
        ClusterSettings s = ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_USER", "volant", "VOLANT_CLUSTER_ETCD_PASSWORD", " s3cret pw"));
        assertThat(s.etcdUser()).isEqualTo(new EtcdUser("volant", " s3cret pw"));
        assertThat(s.toString()).contains("name=volant").doesNotContain("s3cret");
        assertThat(ClusterSettings.fromEnv(CLUSTER).etcdUser().enabled()).isFalse();
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379", "VOLANT_CLUSTER_ETCD_USER", "volant")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_USER and VOLANT_CLUSTER_ETCD_PASSWORD must be set together");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "https://10.0.0.1:2379", "VOLANT_CLUSTER_ETCD_PASSWORD", "x")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_USER and VOLANT_CLUSTER_ETCD_PASSWORD must be set together");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(tls(dir, "http://10.0.0.1:2379",
                "VOLANT_CLUSTER_ETCD_USER", "volant", "VOLANT_CLUSTER_ETCD_PASSWORD", "s3cret")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_USER is set but VOLANT_CLUSTER_ETCD uses http:// endpoints")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ClusterSettings.fromEnv(Map.of("VOLANT_CLUSTER_ETCD_PASSWORD", "s3cret")))
                .hasMessageContaining("VOLANT_CLUSTER_ETCD_PASSWORD is set but VOLANT_CLUSTER_ETCD is not")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void the_loader_carries_the_cluster_settings() {
        var env = new java.util.HashMap<>(CLUSTER);
        env.put("VOLANT_RUNTIME_BACKEND", "simulated");
        assertThat(ConfigLoader.load(env, "/tmp", false).cluster().nodeName()).isEqualTo("node-a");
    }
}
