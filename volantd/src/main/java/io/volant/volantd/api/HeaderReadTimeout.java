package io.volant.volantd.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-header read limit of api-and-cli.md §3.7 (10 s), which Jetty lacks: its idle timeout restarts on every
 * byte, so a client dribbling one header byte at a time (slowloris) could hold a connection forever. Once a second
 * each HTTP connection's parser is checked: a request head begun (parser past its start state, not yet at the body)
 * and still unfinished after the limit closes the connection. Keep-alive connections between requests (parser at
 * start) and requests in flight (body or response under way) are left to the idle and body timeouts.
 */
final class HeaderReadTimeout implements Connection.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderReadTimeout.class);
    private static final Duration SWEEP = Duration.ofSeconds(1);

    private final long limitNanos;
    private final Map<HttpConnection, Progress> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** Where a connection stood at the last sweep; {@code headSince} is when its current request head was seen begun. */
    private record Progress(long messagesIn, long headSince) {}

    HeaderReadTimeout(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("volantd-header-timeout").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Progress(0, -1));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        open.replaceAll((c, p) -> next(c, p, now));
    }

    private Progress next(HttpConnection c, Progress p, long now) {
        long in = c.getMessagesIn();
        HttpParser parser = c.getParser();
        boolean readingHead = !parser.isState(HttpParser.State.START) && parser.inHeaderState();
        if (!readingHead) {
            return new Progress(in, -1);
        }
        long since = p.headSince() < 0 || in != p.messagesIn() ? now : p.headSince();
        if (now - since > limitNanos) {
            LOG.atWarn().addKeyValue("client_ip", remote(c)).addKeyValue("limit_ms", limitNanos / 1_000_000)
                    .log("request head not received in time; connection closed");
            c.getEndPoint().close();
        }
        return new Progress(in, since);
    }

    private static String remote(HttpConnection c) {
        var address = c.getEndPoint().getRemoteSocketAddress();
        return address instanceof java.net.InetSocketAddress inet ? inet.getAddress().getHostAddress() : "";
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
