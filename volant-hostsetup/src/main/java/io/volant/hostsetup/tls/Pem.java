package io.volant.hostsetup.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM files as JDK key material, for the API's TLS: volantd's certificate and key ({@code VOLANT_TLS_CERT},
 * {@code VOLANT_TLS_KEY}), the CA that signs client certificates ({@code VOLANT_TLS_CLIENT_CA}), and volar's
 * {@code --ca-cert}, {@code --client-cert}, {@code --client-key}. Keys may be PKCS#8, PKCS#1 RSA or SEC1 EC
 * (what openssl and {@link SelfSigned} write); encrypted keys are not supported.
 */
public final class Pem {
    /** Password of the in-memory key stores; never written anywhere. */
    public static final char[] STORE_PASSWORD = "volant".toCharArray();

    private Pem() {}

    /** Every certificate in a PEM file (a chain: leaf first). */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        try (var in = Files.newInputStream(file)) {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return out;
    }

    /** The one private key of a PEM file. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new GeneralSecurityException("no unencrypted private key in " + file);
    }

    /** A key store holding the key and its certificate chain under alias {@code volant}. */
    public static KeyStore keyStore(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("volant", privateKey(keyFile), STORE_PASSWORD,
                certificates(certFile).toArray(X509Certificate[]::new));
        return ks;
    }

    /** A trust store holding every certificate of {@code caFile}. */
    public static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : certificates(caFile)) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        return ks;
    }

    /**
     * A client context: trust {@code caFile} (null = the JDK's default trust), present {@code certFile}/{@code keyFile}
     * when both are given.
     */
    public static SSLContext clientContext(Path caFile, Path certFile, Path keyFile)
            throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(caFile == null ? null : trustStore(caFile));
        KeyManagerFactory kmf = null;
        if (certFile != null && keyFile != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(certFile, keyFile), STORE_PASSWORD);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
