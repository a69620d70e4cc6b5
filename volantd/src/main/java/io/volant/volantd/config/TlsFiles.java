package io.volant.volantd.config;

import java.nio.file.Path;

/**
 * The API's TLS material (PEM files): {@code VOLANT_TLS_CERT} and {@code VOLANT_TLS_KEY} turn HTTPS on;
 * {@code VOLANT_TLS_CLIENT_CA} additionally requires every client to present a certificate signed by that CA.
 * {@code null} paths are unset.
 */
public record TlsFiles(Path cert, Path key, Path clientCa) {
    public static TlsFiles none() {
        return new TlsFiles(null, null, null);
    }

    public boolean enabled() {
        return cert != null;
    }

    public boolean clientAuth() {
        return clientCa != null;
    }
}
