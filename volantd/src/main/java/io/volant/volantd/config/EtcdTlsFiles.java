package io.volant.volantd.config;

import io.volant.hostsetup.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

/**
 * How volantd authenticates to etcd over {@code https://} (docs/cluster.md, "Securing etcd"), all PEM files:
 * {@code VOLANT_CLUSTER_ETCD_CA} (the CA etcd's server certificate must chain to; unset = the JDK's trust store),
 * {@code VOLANT_CLUSTER_ETCD_CERT} and {@code VOLANT_CLUSTER_ETCD_KEY} (the client certificate and its key, both or
 * neither). {@code null} paths are unset. Only paths are kept: the key itself never sits in the configuration.
 */
public record EtcdTlsFiles(Path ca, Path cert, Path key) {
    public static final EtcdTlsFiles NONE = new EtcdTlsFiles(null, null, null);
    static final String CA = "VOLANT_CLUSTER_ETCD_CA";
    static final String CERT = "VOLANT_CLUSTER_ETCD_CERT";
    static final String KEY = "VOLANT_CLUSTER_ETCD_KEY";
    static final List<String> VARIABLES = List.of(CA, CERT, KEY);

    /** Whether a client certificate is presented to etcd. */
    public boolean clientCertificate() {
        return cert != null;
    }

    /**
     * Reads the variables for endpoints that all use {@code https} ({@code https = true}) or all {@code http}.
     * Every file is read and parsed now, so a wrong path or a file of the wrong kind stops the start naming the
     * variable and the file rather than failing each heartbeat later.
     */
    static EtcdTlsFiles fromEnv(Map<String, String> env, boolean https) {
        String ca = ClusterSettings.value(env, CA);
        String cert = ClusterSettings.value(env, CERT);
        String key = ClusterSettings.value(env, KEY);
        if (!https) {
            for (String v : VARIABLES) {
                if (!ClusterSettings.value(env, v).isEmpty()) {
                    throw new ConfigException(v + " is set but VOLANT_CLUSTER_ETCD uses http:// endpoints: "
                            + "TLS to etcd needs https:// endpoints");
                }
            }
            return NONE;
        }
        if (cert.isEmpty() != key.isEmpty()) {
            throw new ConfigException(CERT + " and " + KEY + " must be set together");
        }
        Path caFile = ca.isEmpty() ? null : parsed(CA, ca, Kind.CERTIFICATES);
        Path certFile = cert.isEmpty() ? null : parsed(CERT, cert, Kind.CERTIFICATES);
        Path keyFile = key.isEmpty() ? null : parsed(KEY, key, Kind.PRIVATE_KEY);
        return new EtcdTlsFiles(caFile, certFile, keyFile);
    }

    private enum Kind { CERTIFICATES, PRIVATE_KEY }

    private static Path parsed(String variable, String value, Kind kind) {
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException("invalid " + variable + " \"" + p + "\": not a readable file");
        }
        try {
            if (kind == Kind.CERTIFICATES) {
                Pem.certificates(p);
            } else {
                Pem.privateKey(p);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String what = kind == Kind.CERTIFICATES ? "a PEM certificate" : "an unencrypted PEM private key";
            throw new ConfigException("invalid " + variable + " \"" + p + "\": not " + what + " (" + e.getMessage() + ")");
        }
        return p;
    }
}
