package io.volant.manifest;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that creates its delegate (by default {@link SSLContext#getDefault()}) on first use.
 *
 * <p>Why: {@code HttpClient.newBuilder().build()} asks for {@code SSLContext.getDefault()} at once, which loads and
 * parses the JDK's whole trust store (~150 certificates, RSA and EC key decoding) before the program can do anything
 * else. In an emulated (TCG) guest that was seconds of kestrel's start-up, spent for an agent whose workloads are
 * almost always plain {@code http://127.0.0.1}; in volar, ~100-200 ms of every command against a plain
 * {@code http://} volantd. With this context the trust store is read only when an
 * {@code https} target is actually contacted; the behaviour of such a request is unchanged. Give the client explicit
 * {@link SSLParameters} too ({@link #clientParameters()}), otherwise it asks the context for its defaults at once.
 */
public final class LazySslContext extends SSLContext {
    /** A context backed by the JDK's default one, created on the first TLS connection. */
    public LazySslContext() {
        this(LazySslContext::jdkDefault);
    }

    /** A context backed by {@code delegate.get()}, called once, on first use. */
    public LazySslContext(Supplier<SSLContext> delegate) {
        super(new Spi(delegate), null, "Default");
    }

    /**
     * Client parameters for {@code HttpClient.Builder.sslParameters}: nothing set, so every TLS engine keeps the
     * delegate's own defaults (protocols, cipher suites); the client adds SNI and host name verification itself.
     */
    public static SSLParameters clientParameters() {
        return new SSLParameters();
    }

    private static SSLContext jdkDefault() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context: " + e.getMessage(), e);
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final Supplier<SSLContext> factory;
        private volatile SSLContext delegate;

        Spi(Supplier<SSLContext> factory) {
            this.factory = factory;
        }

        private SSLContext delegate() {
            SSLContext d = delegate;
            if (d == null) {
                synchronized (this) {
                    d = delegate;
                    if (d == null) {
                        d = factory.get();
                        delegate = d;
                    }
                }
            }
            return d;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the lazy default context cannot be re-initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
