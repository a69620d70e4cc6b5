package io.volant.volantd.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.volant.hostsetup.tls.Pem;
import io.volant.volantd.config.ClusterSettings;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.EtcdTlsFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How volantd's jetcd clients reach etcd (docs/cluster.md, "Securing etcd"). Over {@code https://}: a gRPC TLS
 * context that trusts the CA file (else the JDK's trust store) and presents the client certificate when one is
 * configured, plus etcd's user and password when set. The JDK provider, not tcnative: no native library to ship,
 * and ALPN (which gRPC needs for HTTP/2) is built into the JDK. The PEM files are read with {@link Pem}, so a key
 * may be PKCS#8, PKCS#1 RSA or SEC1 EC; Netty gets key objects, never file names.
 */
final class EtcdTls {
    private static final Logger log = LoggerFactory.getLogger(EtcdTls.class);

    private EtcdTls() {}

    /** What to set on a client builder for {@code settings}; nothing for {@code http://} endpoints. */
    static UnaryOperator<ClientBuilder> access(ClusterSettings settings) {
        if (!settings.etcdHttps()) {
            return b -> b;
        }
        SslContext tls = context(settings.etcdTls());
        var user = settings.etcdUser();
        return b -> {
            b.sslContext(tls);
            if (user.enabled()) {
                b.user(ByteSequence.from(user.name(), StandardCharsets.UTF_8))
                        .password(ByteSequence.from(user.password(), StandardCharsets.UTF_8));
            }
            return b;
        };
    }

    /** Reads the files; a file that changed into something unreadable since the start is a {@link ConfigException}. */
    private static SslContext context(EtcdTlsFiles files) {
        try {
            SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
            if (files.ca() != null) {
                b.trustManager(Pem.certificates(files.ca()).toArray(X509Certificate[]::new));
            }
            if (files.clientCertificate()) {
                b.keyManager(Pem.privateKey(files.key()), Pem.certificates(files.cert()).toArray(X509Certificate[]::new));
            }
            return b.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigException("cannot load the TLS material for etcd (VOLANT_CLUSTER_ETCD_CA "
                    + files.ca() + ", VOLANT_CLUSTER_ETCD_CERT " + files.cert() + ", VOLANT_CLUSTER_ETCD_KEY "
                    + files.key() + "): " + e.getMessage());
        }
    }

    /**
     * One read through a throw-away client that does not wait for a ready channel, so that a handshake etcd rejects
     * (no client certificate, a CA that did not sign etcd's certificate) or a refused user stops the start with its
     * reason. The store's own client waits for a ready channel (it rides out an etcd failover), which turns the same
     * rejection into a bare timeout. Any other failure (etcd not up yet) is left to the caller's usual handling.
     *
     * @throws ConfigException when the TLS handshake or the user's authentication fails
     */
    static void check(List<String> endpoints, UnaryOperator<ClientBuilder> access, Duration timeout) {
        ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(timeout).retryMaxDuration(timeout).waitForReady(false);
        try (Client probe = access.apply(builder).build()) {
            probe.getKVClient().get(ByteSequence.from("/volant/cluster/tls-check", StandardCharsets.UTF_8))
                    .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String where = "cluster mode: etcd " + String.join(",", endpoints);
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SSLException ssl) {
                    throw new ConfigException(where + ": TLS handshake failed: " + ssl.getMessage()
                            + " (check VOLANT_CLUSTER_ETCD_CA, VOLANT_CLUSTER_ETCD_CERT and VOLANT_CLUSTER_ETCD_KEY"
                            + " against etcd's --trusted-ca-file and certificate)");
                }
                if (String.valueOf(c.getMessage()).contains("authentication failed")) {
                    throw new ConfigException(where + ": user authentication failed: " + c.getMessage()
                            + " (check VOLANT_CLUSTER_ETCD_USER and VOLANT_CLUSTER_ETCD_PASSWORD)");
                }
            }
            log.atDebug().addKeyValue("error", String.valueOf(e.getMessage())).log("etcd access check inconclusive");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
