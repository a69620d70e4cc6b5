package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.hostsetup.tls.SelfSigned;
import io.volant.testing.EtcdCluster;
import io.volant.volantd.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode over TLS (docs/cluster.md, "Securing etcd"): one real etcd serving {@code https://127.0.0.1} with
 * {@code --client-cert-auth}, certificates made here. An in-process volantd with the CA and a client certificate
 * joins and lists itself; without a client certificate, or trusting a CA that did not sign etcd's certificate, the
 * start fails with an error that says TLS, instead of hanging or running outside the cluster.
 */
class ClusterEtcdTlsTest {
    private static final Duration VALID = Duration.ofDays(1);

    @TempDir
    static Path certs;
    private static EtcdCluster etcd;

    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();

    @BeforeAll
    static void startEtcd() throws Exception {
        var ca = SelfSigned.authority("etcd-test-ca", VALID);
        ca.write(certs, "ca");
        SelfSigned.issued(ca, "etcd", List.of("127.0.0.1"), VALID).write(certs, "server");
        var client = SelfSigned.issued(ca, "volantd", List.of(), VALID);
        client.write(certs, "client");
        // The same key as SEC1 with its curve ("EC PRIVATE KEY", as openssl ecparam -genkey writes it), not PKCS#8.
        var key = (java.security.interfaces.ECPrivateKey) client.keys().getPrivate();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
                new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1));
        try (var w = new JcaPEMWriter(java.nio.file.Files.newBufferedWriter(certs.resolve("client-sec1.key")))) {
            w.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        SelfSigned.authority("another-ca", VALID).write(certs, "other-ca");
        etcd = EtcdCluster.start(certs, 1, new EtcdCluster.Tls(certs.resolve("ca.crt"),
                certs.resolve("server.crt"), certs.resolve("server.key"), certs.resolve("client.crt"),
                certs.resolve("client.key")));
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private void withClientCertificate() {
        volantd.env("VOLANT_CLUSTER_ETCD_CA", certs.resolve("ca.crt").toString())
                .env("VOLANT_CLUSTER_ETCD_CERT", certs.resolve("client.crt").toString())
                .env("VOLANT_CLUSTER_ETCD_KEY", certs.resolve("client-sec1.key").toString());
    }

    private void cluster(String node) {
        volantd.env("VOLANT_CLUSTER_ETCD", etcd.clientUrls().getFirst())
                .env("VOLANT_NODE_NAME", node)
                .env("VOLANT_NODE_URL", "http://127.0.0.1:7777")
                .env("VOLANT_CLUSTER_LEASE_SECONDS", "5");
    }

    @Test
    void a_node_with_the_ca_and_a_client_certificate_joins_over_tls() throws Exception {
        assertThat(etcd.clientUrls().getFirst()).startsWith("https://127.0.0.1:");
        cluster("tls-1");
        withClientCertificate();
        assertThat(java.nio.file.Files.readString(certs.resolve("client-sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");

        Api.Resp nodes = volantd.start().get("/api/v1/nodes");

        assertThat(nodes.status()).isEqualTo(200);
        JsonNode node = nodes.json().path("nodes").get(0);
        assertThat(node.path("name").asText()).isEqualTo("tls-1");
        assertThat(node.path("state").asText()).isEqualTo("ready");
        assertThat(nodes.json().path("nodes").size()).isEqualTo(1);
        // etcd holds the registration: read back over TLS with etcdctl
        assertThat(etcd.get("/volant/cluster/alive/tls-1")).isEqualTo("http://127.0.0.1:7777");
    }

    @Test
    void without_a_client_certificate_the_start_fails() {
        cluster("tls-2");
        volantd.env("VOLANT_CLUSTER_ETCD_CA", certs.resolve("ca.crt").toString());

        assertThatThrownBy(volantd::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("etcd " + etcd.clientUrls().getFirst() + ": TLS handshake failed")
                .hasMessageContaining("bad_certificate");
        assertThat(etcd.get("/volant/cluster/members/tls-2")).isEmpty();
    }

    @Test
    void trusting_a_ca_that_did_not_sign_etcd_the_start_fails() {
        cluster("tls-3");
        volantd.env("VOLANT_CLUSTER_ETCD_CA", certs.resolve("other-ca.crt").toString())
                .env("VOLANT_CLUSTER_ETCD_CERT", certs.resolve("client.crt").toString())
                .env("VOLANT_CLUSTER_ETCD_KEY", certs.resolve("client.key").toString());

        assertThatThrownBy(volantd::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("etcd " + etcd.clientUrls().getFirst() + ": TLS handshake failed")
                .hasMessageContaining("PKIX path building failed");
        assertThat(etcd.get("/volant/cluster/members/tls-3")).isEmpty();
    }

    @Test
    void with_etcd_auth_on_a_node_joins_as_its_user_and_a_wrong_password_stops_the_start() throws Exception {
        // etcd's RBAC: user "volant" may read and write /volant/ only; root exists because auth needs it.
        etcd.ctl("user", "add", "root:root-pw");
        etcd.ctl("user", "grant-role", "root", "root");
        etcd.ctl("role", "add", "volant");
        etcd.ctl("role", "grant-permission", "volant", "--prefix=true", "readwrite", "/volant/");
        etcd.ctl("user", "add", "volant:s3cret pw");
        etcd.ctl("user", "grant-role", "volant", "volant");
        etcd.ctl("auth", "enable");
        try {
            cluster("tls-4");
            withClientCertificate();
            volantd.env("VOLANT_CLUSTER_ETCD_USER", "volant").env("VOLANT_CLUSTER_ETCD_PASSWORD", "s3cret pw");
            Api.Resp nodes = volantd.start().get("/api/v1/nodes");
            assertThat(nodes.status()).isEqualTo(200);
            assertThat(nodes.json().path("nodes").get(0).path("name").asText()).isEqualTo("tls-4");
            assertThat(nodes.json().path("nodes").get(0).path("state").asText()).isEqualTo("ready");
            volantd.stop();

            cluster("tls-5");
            volantd.env("VOLANT_CLUSTER_ETCD_PASSWORD", "wrong");
            assertThatThrownBy(volantd::start).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("etcd " + etcd.clientUrls().getFirst() + ": user authentication failed")
                    .hasMessageNotContaining("wrong");
            assertThat(volantd.logLines()).isNotEmpty().noneMatch(l -> l.contains("s3cret") || l.contains("wrong"));
        } finally {
            etcd.ctl("--user=root:root-pw", "auth", "disable");
        }
        assertThat(etcd.get("/volant/cluster/members/tls-5")).isEmpty();
    }
}
