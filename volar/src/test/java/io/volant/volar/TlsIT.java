package io.volant.volar;

import static org.assertj.core.api.Assertions.assertThat;

import io.volant.hostsetup.tls.SelfSigned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import io.volant.volar.VolarProcess.Run;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 acceptance, with real {@code bin/volar} processes: volar talks to volantd over HTTPS with a CA generated in
 * the test; a client without the CA is refused; with client-certificate authentication on, a client without a
 * certificate gets no API access; {@code volar setup tls} writes a pair volantd serves and volar trusts.
 */
class TlsIT {
    private static final Duration YEAR = Duration.ofDays(365);

    @TempDir
    Path dir;

    private Run volar(String... args) throws IOException, InterruptedException {
        return VolarProcess.run(dir, Map.of(), args);
    }

    private Path pki() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        SelfSigned.Pair ca = SelfSigned.authority("Volant test CA", YEAR);
        ca.write(pki, "ca");
        SelfSigned.issued(ca, "volantd", List.of("127.0.0.1", "localhost"), YEAR).write(pki, "server");
        SelfSigned.issued(ca, "volar", List.of(), YEAR).write(pki, "client");
        return pki;
    }

    @Test
    void volar_speaks_https_with_the_ca_and_is_refused_without_it() throws Exception {
        Path pki = pki();
        try (RealVolantd volantd = new RealVolantd(dir, Map.of("VOLANT_TLS_CERT", pki.resolve("server.crt").toString(),
                "VOLANT_TLS_KEY", pki.resolve("server.key").toString()))) {
            Files.writeString(dir.resolve("caddy.json"), volantd.caddyManifest(dir));
            String ca = pki.resolve("ca.crt").toString();
            Run install = volar("--api", volantd.base(), "--ca-cert", ca, "plugins", "install", "caddy.json");
            assertThat(install.exit()).as(install.err()).isZero();
            assertThat(install.out()).isEqualTo("Plugin caddy 0.1.0 installed\n");
            Run list = volar("--api", volantd.base(), "--ca-cert", ca, "plugins", "list");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).contains("caddy");

            Run untrusted = volar("--api", volantd.base(), "plugins", "list");
            assertThat(untrusted.exit()).isEqualTo(1);
            assertThat(untrusted.out()).isEmpty();
            assertThat(untrusted.err()).startsWith("Error: cannot reach volantd at " + volantd.base() + ": ");
        }
    }

    @Test
    void with_client_certificates_required_only_a_volar_with_one_gets_access() throws Exception {
        Path pki = pki();
        String ca = pki.resolve("ca.crt").toString();
        try (RealVolantd volantd = new RealVolantd(dir, Map.of("VOLANT_TLS_CERT", pki.resolve("server.crt").toString(),
                "VOLANT_TLS_KEY", pki.resolve("server.key").toString(), "VOLANT_TLS_CLIENT_CA", ca))) {
            Run anonymous = volar("--api", volantd.base(), "--ca-cert", ca, "vms", "list");
            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.out()).isEmpty();
            assertThat(anonymous.err()).startsWith("Error: cannot reach volantd at ");

            Run known = volar("--api", volantd.base(), "--ca-cert", ca, "--client-cert",
                    pki.resolve("client.crt").toString(), "--client-key", pki.resolve("client.key").toString(),
                    "vms", "list");
            assertThat(known.exit()).as(known.err()).isZero();
        }
    }

    @Test
    void setup_tls_writes_a_self_signed_pair_that_volantd_serves_and_volar_trusts() throws Exception {
        Path tls = dir.resolve("tls");
        Run setup = volar("setup", "tls", "--dir", tls.toString());
        assertThat(setup.exit()).as(setup.err()).isZero();
        assertThat(setup.out()).contains("VOLANT_TLS_CERT=" + tls.resolve("volantd.crt"));
        assertThat(Files.getPosixFilePermissions(tls.resolve("volantd.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        Run again = volar("setup", "tls", "--dir", tls.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        try (RealVolantd volantd = new RealVolantd(dir, Map.of("VOLANT_TLS_CERT", tls.resolve("volantd.crt").toString(),
                "VOLANT_TLS_KEY", tls.resolve("volantd.key").toString()))) {
            Run list = volar("--api", volantd.base(), "--ca-cert", tls.resolve("volantd.crt").toString(), "vms", "list");
            assertThat(list.exit()).as(list.err()).isZero();
        }
    }
}
