package io.volant.fledge.util;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * {@link HttpFetcher} on the JDK client; follows redirects (GitHub release assets redirect).
 *
 * <p>The client is built on the first request, not with the fetcher: building one sets up the default TLS context
 * (the system trust store, ~150 certificates parsed) and starts a selector thread, which most commands
 * ({@code --version}, {@code --help}, builds from local files) never use. {@link #close()} stops that thread: the
 * JVM's exit waits up to 300 ms for a thread still in native code, and an idle client's selector sits in
 * {@code epoll_wait}.
 */
public final class JdkHttpFetcher implements HttpFetcher {
    /** Bounds the wait for the selector thread in {@link #close()} (it ends within milliseconds). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    private HttpClient client;

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
        return client;
    }

    /** Whether a client has been built and is still running (tests: nothing is started before a request). */
    synchronized boolean started() {
        return client != null;
    }

    @Override
    public Response get(URI uri) {
        try {
            HttpResponse<byte[]> r = client().send(request(uri), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), reason(r.statusCode()), r.body());
        } catch (IOException e) {
            throw new FledgeException("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FledgeException("build interrupted", e);
        }
    }

    @Override
    public void download(URI uri, Path dest) {
        try {
            HttpResponse<InputStream> r = client().send(request(uri), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new FledgeException("download failed with status " + r.statusCode() + ": "
                            + r.statusCode() + " " + reason(r.statusCode()));
                }
                Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new FledgeException("download " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FledgeException("build interrupted", e);
        }
    }

    /** Stops the client, if one was built, and waits (bounded) for its thread; the next request builds a new one. */
    @Override
    public void close() {
        HttpClient c;
        synchronized (this) {
            c = client;
            client = null;
        }
        if (c == null) {
            return;
        }
        c.shutdownNow();
        try {
            c.awaitTermination(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).GET().header("User-Agent", "fledge").timeout(Duration.ofMinutes(30)).build();
    }

    private static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            default -> "";
        };
    }
}
