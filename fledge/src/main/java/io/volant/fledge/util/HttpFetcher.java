package io.volant.fledge.util;

import java.net.URI;
import java.nio.file.Path;

/** The one boundary for HTTP downloads (agent, BusyBox, release API). */
public interface HttpFetcher extends AutoCloseable {
    record Response(int status, String reason, byte[] body) {}

    /** GET into memory (small API documents). */
    Response get(URI uri);

    /** GET into {@code dest}; a non-200 answer → {@code download failed with status <code>: <status>}. */
    void download(URI uri, Path dest);

    /** Stops what the fetcher started (threads); it may be used again afterwards. No checked exception. */
    @Override
    default void close() {}
}
