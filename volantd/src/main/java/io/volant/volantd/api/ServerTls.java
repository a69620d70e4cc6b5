package io.volant.volantd.api;

import io.volant.hostsetup.tls.Pem;
import io.volant.volantd.config.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for the API (HTTP/1.1 and WebSockets over one TLS connector) from PEM files, with optional client-certificate
 * authentication (every client must present a certificate signed by {@code VOLANT_TLS_CLIENT_CA}; without one the
 * handshake fails and no request is read). The files are read again on {@link #reload()} (SIGHUP) and whenever their
 * modification time changes (checked every 2 s), so a renewed certificate takes effect without a restart; a reload
 * that fails keeps the previous material and logs why.
 */
final class ServerTls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final Duration WATCH = Duration.ofSeconds(2);

    private final TlsFiles files;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private final ScheduledExecutorService watcher;
    private List<FileTime> seen;

    ServerTls(TlsFiles files) {
        this.files = files;
        try {
            load(factory);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS certificate or key: " + e.getMessage(), e);
        }
        seen = times();
        watcher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("volantd-tls-watch")
                .factory());
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void load(SslContextFactory.Server f) throws IOException, GeneralSecurityException {
        f.setKeyStore(Pem.keyStore(files.cert(), files.key()));
        f.setKeyStorePassword(new String(Pem.STORE_PASSWORD));
        f.setKeyManagerPassword(new String(Pem.STORE_PASSWORD));
        // IP literals and any host name reach the API; the certificate's names are the client's business.
        f.setSniRequired(false);
        f.setEndpointIdentificationAlgorithm(null);
        if (files.clientAuth()) {
            f.setTrustStore(Pem.trustStore(files.clientCa()));
            f.setNeedClientAuth(true);
        }
    }

    /** The TLS connector on {@code host:port}, sharing Javalin's HTTP configuration (timeouts, header sizes). */
    Connector connector(Server server, HttpConfiguration http, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(factory, "http/1.1"),
                new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }

    /** Reads the PEM files again; the running connector uses them for every new handshake. */
    void reload() {
        List<FileTime> now = times();
        try {
            factory.reload(f -> {
                try {
                    load((SslContextFactory.Server) f);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            seen = now;
            LOG.atInfo().addKeyValue("cert", files.cert()).log("tls certificate reloaded");
        } catch (Exception e) {
            seen = now; // do not retry a broken file every 2 s; the next change or SIGHUP tries again
            LOG.atWarn().addKeyValue("cert", files.cert()).addKeyValue("error", String.valueOf(e.getMessage()))
                    .log("tls reload failed; keeping the previous certificate");
        }
    }

    private void reloadIfChanged() {
        if (!times().equals(seen)) {
            reload();
        }
    }

    private List<FileTime> times() {
        List<FileTime> out = new ArrayList<>();
        for (Path p : new Path[] {files.cert(), files.key(), files.clientCa()}) {
            try {
                out.add(p == null ? null : Files.getLastModifiedTime(p));
            } catch (IOException e) {
                out.add(null);
            }
        }
        return out;
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
