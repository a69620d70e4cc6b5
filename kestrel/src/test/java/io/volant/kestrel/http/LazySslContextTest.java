package io.volant.kestrel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.kestrel.testing.Upstream;
import io.volant.manifest.LazySslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class LazySslContextTest {
    private final AtomicInteger created = new AtomicInteger();
    private final Supplier<SSLContext> counting = () -> {
        created.incrementAndGet();
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, null, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    };

    private HttpClient client(SSLContext ctx) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx)
                .sslParameters(LazySslContext.clientParameters()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void buildingAnHttpClientDoesNotCreateTheTlsContext() {
        HttpClient c = client(new LazySslContext(counting));
        assertThat(c.sslContext()).isInstanceOf(LazySslContext.class);
        assertThat(created).hasValue(0);
    }

    @Test
    void plainHttpRequestsNeverCreateTheTlsContext() throws Exception {
        try (Upstream upstream = new Upstream()) {
            HttpResponse<String> r = client(new LazySslContext(counting)).send(
                    HttpRequest.newBuilder(upstream.base("/plain")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isBetween(200, 599);
        }
        assertThat(created).hasValue(0);
    }

    @Test
    void theFirstEngineCreatesTheDelegateOnceAndLaterEnginesReuseIt() {
        LazySslContext ctx = new LazySslContext(counting);
        SSLEngine a = ctx.createSSLEngine("workload", 443);
        SSLEngine b = ctx.createSSLEngine();
        assertThat(a.getPeerHost()).isEqualTo("workload");
        assertThat(a.getPeerPort()).isEqualTo(443);
        assertThat(b).isNotSameAs(a);
        assertThat(ctx.getDefaultSSLParameters().getProtocols()).isNotEmpty();
        assertThat(created).hasValue(1);
    }

    @Test
    void anHttpsRequestSendsATlsClientHelloThroughTheDelegate() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> firstBytes = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    return s.getInputStream().readNBytes(3); // then close: the handshake fails
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            URI https = URI.create("https://127.0.0.1:" + server.getLocalPort() + "/tls");
            assertThatThrownBy(() -> client(new LazySslContext(counting)).send(
                    HttpRequest.newBuilder(https).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            // TLS record header: content type 22 (handshake), protocol major version 3.
            assertThat(firstBytes.get(30, TimeUnit.SECONDS)).startsWith(22, 3);
        }
        assertThat(created).hasValue(1);
    }
}
