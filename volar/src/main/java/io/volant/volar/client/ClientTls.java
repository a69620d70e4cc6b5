package io.volant.volar.client;

import io.volant.hostsetup.tls.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;

/**
 * volar's side of the API's TLS: {@code --ca-cert} (the CA or self-signed certificate volantd's certificate is checked
 * against, instead of the system's trust store) and {@code --client-cert}/{@code --client-key} (presented when volantd
 * requires client certificates).
 */
public final class ClientTls {
    private ClientTls() {}

    /** null when no option is set (the JDK's defaults serve {@code https} bases with public certificates). */
    public static SSLContext context(Path caCert, Path clientCert, Path clientKey) {
        if (caCert == null && clientCert == null && clientKey == null) {
            return null;
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("--client-cert and --client-key must be given together");
        }
        try {
            return Pem.clientContext(caCert, clientCert, clientKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS files: " + e.getMessage(), e);
        }
    }
}
