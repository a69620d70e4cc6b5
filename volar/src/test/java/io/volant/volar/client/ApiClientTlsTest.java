package io.volant.volar.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.volant.hostsetup.tls.Pem;
import io.volant.hostsetup.tls.SelfSigned;
import io.volant.manifest.LazySslContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's TLS context is built on the first handshake, never for plain {@code http://} volantd. */
class ApiClientTlsTest {
    private static final byte[] INFO = "{\"version\":\"t\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static void serve(HttpServer server) {
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, INFO.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(INFO);
            }
        });
        server.start();
    }

    private static ApiClient client(String base, LazySslContext tls) {
        return new ApiClient(base, "", Duration.ofSeconds(20), new Json(), Map.of(), tls, true);
    }

    @Test
    void plain_http_requests_never_build_the_tls_context() throws Exception {
        AtomicInteger built = new AtomicInteger();
        LazySslContext tls = new LazySslContext(() -> {
            built.incrementAndGet();
            throw new IllegalStateException("must not be built for http");
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(server);
        try {
            ApiClient c = client("http://127.0.0.1:" + server.getAddress().getPort(), tls);
            assertThat(Json.text(c.get("/api/v1/system/info"), "version")).isEqualTo("t");
            assertThat(Json.text(c.get("/api/v1/system/info"), "version")).isEqualTo("t");
        } finally {
            server.stop(0);
        }
        assertThat(built).hasValue(0);
    }

    @Test
    void https_builds_the_context_on_the_first_handshake_and_trusts_what_it_trusts() throws Exception {
        Duration year = Duration.ofDays(365);
        SelfSigned.Pair ca = SelfSigned.authority("Lazy TLS test CA", year);
        ca.write(dir, "ca");
        SelfSigned.issued(ca, "volantd", List.of("127.0.0.1"), year).write(dir, "server");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(Pem.keyStore(dir.resolve("server.crt"), dir.resolve("server.key")), Pem.STORE_PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        serve(server);
        AtomicInteger built = new AtomicInteger();
        LazySslContext tls = new LazySslContext(() -> {
            built.incrementAndGet();
            try {
                return Pem.clientContext(dir.resolve("ca.crt"), null, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            ApiClient c = client("https://127.0.0.1:" + server.getAddress().getPort(), tls);
            assertThat(built).hasValue(0);
            assertThat(Json.text(c.get("/api/v1/system/info"), "version")).isEqualTo("t");
            assertThat(Json.text(c.get("/api/v1/system/info"), "version")).isEqualTo("t");
        } finally {
            server.stop(0);
        }
        assertThat(built).hasValue(1);
    }
}
