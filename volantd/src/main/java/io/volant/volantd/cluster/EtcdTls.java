package io.volant.volantd.cluster;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.volant.hostsetup.tls.Pem;
import io.volant.volantd.config.ConfigException;
import io.volant.volantd.config.EtcdTlsFiles;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * The gRPC client TLS context for etcd (docs/cluster.md, "Securing etcd"): trust the CA file (else the JDK's trust
 * store) and present the client certificate when one is configured. The JDK provider, not tcnative: no native
 * library to ship, and ALPN (which gRPC needs for HTTP/2) is built into the JDK. The PEM files are read with
 * {@link Pem}, so a key may be PKCS#8, PKCS#1 RSA or SEC1 EC; Netty gets key objects, never file names.
 */
final class EtcdTls {
    private EtcdTls() {}

    /** Reads the files; a file that changed into something unreadable since the start is a {@link ConfigException}. */
    static SslContext context(EtcdTlsFiles files) {
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
}
