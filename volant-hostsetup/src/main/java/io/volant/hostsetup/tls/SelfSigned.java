package io.volant.hostsetup.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made here rather than with an openssl command line: a self-signed server pair for
 * {@code volar setup --tls-dir}, and (for tests and small set-ups) a CA that signs server and client certificates.
 * Keys are EC P-256; certificates are valid from one hour ago (clock skew) for {@code validity}.
 */
public final class SelfSigned {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key and its certificate (chain: the certificate alone). */
    public record Pair(KeyPair keys, X509Certificate certificate) {
        /** Writes {@code <baseName>.crt} (0644) and {@code <baseName>.key} (0600) into {@code dir}; returns their paths. */
        public List<Path> write(Path dir, String baseName) throws IOException {
            Files.createDirectories(dir);
            Path cert = dir.resolve(baseName + ".crt");
            Path key = dir.resolve(baseName + ".key");
            Files.writeString(cert, pem(certificate));
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, pem(keys.getPrivate()));
            return List.of(cert, key);
        }
    }

    private SelfSigned() {}

    /** A certificate authority (self-signed, {@code CA:true}). */
    public static Pair authority(String commonName, Duration validity) throws GeneralSecurityException {
        KeyPair keys = keys();
        return new Pair(keys, sign(commonName, keys, commonName, keys, validity, true, List.of()));
    }

    /** A self-signed server certificate for {@code hosts} (DNS names or IP literals). */
    public static Pair server(List<String> hosts, Duration validity) throws GeneralSecurityException {
        KeyPair keys = keys();
        String cn = hosts.isEmpty() ? "volantd" : hosts.getFirst();
        return new Pair(keys, sign(cn, keys, cn, keys, validity, false, hosts));
    }

    /** A leaf certificate signed by {@code ca}: a server's when {@code hosts} is not empty, else a client's. */
    public static Pair issued(Pair ca, String commonName, List<String> hosts, Duration validity)
            throws GeneralSecurityException {
        KeyPair keys = keys();
        String issuer = ca.certificate().getSubjectX500Principal().getName();
        return new Pair(keys, sign(commonName, keys, issuer, ca.keys(), validity, false, hosts));
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                        Duration validity, boolean ca, List<String> hosts)
            throws GeneralSecurityException {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name(issuer), new BigInteger(127, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), name(subject),
                subjectKeys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String h : hosts) {
                    boolean ip = h.matches("[0-9.]+") || h.contains(":");
                    names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build certificate for " + subject, e);
        }
    }

    private static X500Name name(String cnOrDn) {
        return new X500Name(cnOrDn.contains("=") ? cnOrDn : "CN=" + cnOrDn);
    }

    /** PEM text of a certificate or key (keys as PKCS#8 {@code PRIVATE KEY}, which every reader accepts). */
    public static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (o instanceof java.security.PrivateKey key) {
                w.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
            } else {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
