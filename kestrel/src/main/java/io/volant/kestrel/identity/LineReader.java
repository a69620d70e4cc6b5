package io.volant.kestrel.identity;

import io.volant.kestrel.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Splits the port's byte stream into lines of at most {@link IdentityCodec#MAX_LINE} bytes. An over-long line is
 * skipped up to its newline and reported once, so the next good line still decodes.
 */
final class LineReader {
    static final Duration IDLE = Duration.ofMillis(100);

    private final IdentityPort port;
    private final Clock clock;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int len;
    /** The line read so far: kept across a {@link #next(Duration)} that timed out mid-line. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long total;

    LineReader(IdentityPort port, Clock clock) {
        this.port = port;
        this.clock = clock;
    }

    /**
     * The next line without its newline (a trailing {@code \r} is dropped too).
     *
     * @throws IllegalArgumentException for a line over the limit (already skipped)
     */
    String next() throws IOException, InterruptedException {
        return read(null);
    }

    /**
     * The next line, or empty when no more bytes arrived within {@code wait} of a read or the host end is not
     * connected (no answer can come then).
     *
     * @throws IllegalArgumentException for a line over the limit (already skipped)
     */
    Optional<String> next(Duration wait) throws IOException, InterruptedException {
        return Optional.ofNullable(read(wait));
    }

    private String read(Duration wait) throws IOException, InterruptedException {
        while (true) {
            if (pos == len) {
                if (wait != null && !port.readable(wait)) {
                    return null;
                }
                len = port.read(buf);
                pos = 0;
                if (len == 0) {
                    if (wait != null) {
                        return null;
                    }
                    clock.sleep(IDLE); // host end not connected (between the template's save and a clone's resume)
                    continue;
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            total += n;
            if (total <= IdentityCodec.MAX_LINE) {
                line.write(buf, start, n);
            }
            if (pos < len) {
                pos++; // the newline
                long size = total;
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                total = 0;
                if (size > IdentityCodec.MAX_LINE) {
                    throw new IllegalArgumentException(
                            "message is " + size + " bytes, limit " + IdentityCodec.MAX_LINE);
                }
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
        }
    }
}
