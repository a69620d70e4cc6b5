package io.volant.volantd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.volant.hostsetup.tls.Pem;
import io.volant.hostsetup.tls.SelfSigned;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a CA made in the test: trust, client certificates, WebSockets, reload on change and on request. */
class TlsTest {
    private static final Duration YEAR = Duration.ofDays(365);

    @RegisterExtension
    final VolantdFixture volantd = new VolantdFixture();
    @TempDir
    Path dir;
    private SelfSigned.Pair ca;

    @BeforeEach
    void pki() throws Exception {
        ca = SelfSigned.authority("Volant test CA", YEAR);
        ca.write(dir, "ca");
        SelfSigned.issued(ca, "volantd", List.of("127.0.0.1", "localhost"), YEAR).write(dir, "server");
        SelfSigned.issued(ca, "volar", List.of(), YEAR).write(dir, "client");
        volantd.env("VOLANT_TLS_CERT", dir.resolve("server.crt").toString())
                .env("VOLANT_TLS_KEY", dir.resolve("server.key").toString());
    }

    private String base() {
        volantd.start();
        return "https://127.0.0.1:" + volantd.daemon().port();
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient c, String url) throws IOException, InterruptedException {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a_client_trusting_the_ca_is_served_and_one_without_it_is_refused() throws Exception {
        String base = base();
        HttpClient trusting = client(Pem.clientContext(dir.resolve("ca.crt"), null, null));
        var ok = get(trusting, base + "/api/v1/vms");
        assertThat(ok.statusCode()).isEqualTo(200);
        var openapi = get(trusting, base + "/openapi");
        assertThat(openapi.body()).contains("\"https://127.0.0.1:");
        assertThatThrownBy(() -> get(client(SSLContext.getDefault()), base + "/api/v1/vms"))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        // Plain HTTP on the TLS port never reaches a route.
        assertThatThrownBy(() -> {
            var r = get(HttpClient.newHttpClient(), base.replace("https", "http") + "/api/v1/vms");
            assertThat(r.statusCode()).isNotEqualTo(200);
            throw new IOException("answered " + r.statusCode());
        }).isInstanceOf(IOException.class);
    }

    @Test
    void websocket_handshakes_run_over_tls() throws Exception {
        String base = base();
        HttpClient trusting = client(Pem.clientContext(dir.resolve("ca.crt"), null, null));
        var future = trusting.newWebSocketBuilder().buildAsync(
                URI.create(base.replace("https", "wss") + "/ws/v1/vms/ghost/console"), new WebSocket.Listener() { });
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void with_client_ca_only_clients_with_a_certificate_signed_by_it_get_access() throws Exception {
        volantd.env("VOLANT_TLS_CLIENT_CA", dir.resolve("ca.crt").toString());
        String base = base();
        HttpClient anonymous = client(Pem.clientContext(dir.resolve("ca.crt"), null, null));
        assertThatThrownBy(() -> get(anonymous, base + "/api/v1/vms")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(anonymous, base + "/healthz")).isInstanceOf(IOException.class);
        SelfSigned.Pair stranger = SelfSigned.authority("Other CA", YEAR);
        SelfSigned.issued(stranger, "mallory", List.of(), YEAR).write(dir, "mallory");
        HttpClient foreign = client(Pem.clientContext(dir.resolve("ca.crt"), dir.resolve("mallory.crt"),
                dir.resolve("mallory.key")));
        assertThatThrownBy(() -> get(foreign, base + "/api/v1/vms")).isInstanceOf(IOException.class);
        HttpClient known = client(Pem.clientContext(dir.resolve("ca.crt"), dir.resolve("client.crt"),
                dir.resolve("client.key")));
        assertThat(get(known, base + "/api/v1/vms").statusCode()).isEqualTo(200);
    }

    @Test
    void a_renewed_certificate_is_served_after_the_file_changes_or_on_reload() throws Exception {
        String base = base();
        SSLContext trust = Pem.clientContext(dir.resolve("ca.crt"), null, null);
        var first = served(trust, base);
        SelfSigned.issued(ca, "volantd-renewed", List.of("127.0.0.1"), YEAR).write(dir, "server");
        await().atMost(Duration.ofSeconds(60)).until(() -> !served(trust, base).equals(first));
        assertThat(served(trust, base).getSubjectX500Principal().getName()).isEqualTo("CN=volantd-renewed");
        SelfSigned.issued(ca, "volantd-third", List.of("127.0.0.1"), YEAR).write(dir, "server");
        volantd.daemon().reloadTls(); // what SIGHUP does
        assertThat(served(trust, base).getSubjectX500Principal().getName()).isEqualTo("CN=volantd-third");
    }

    /** The certificate a fresh connection is shown. */
    private static X509Certificate served(SSLContext trust, String base) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(trust).build().send(
                HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        SSLSession session = r.sslSession().orElseThrow();
        return (X509Certificate) session.getPeerCertificates()[0];
    }

    @Test
    void config_refuses_half_a_pair_and_unreadable_files() {
        volantd.env("VOLANT_TLS_KEY", "");
        assertThatThrownBy(volantd::config).hasMessage("VOLANT_TLS_CERT and VOLANT_TLS_KEY must be set together");
        volantd.env("VOLANT_TLS_KEY", dir.resolve("missing.key").toString());
        assertThatThrownBy(volantd::config).hasMessageContaining("invalid VOLANT_TLS_KEY").hasMessageContaining("not a readable file");
    }
}
