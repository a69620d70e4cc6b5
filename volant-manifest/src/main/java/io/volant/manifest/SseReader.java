package io.volant.manifest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one Server-Sent Events parser of volantd and volar (the WHATWG "event stream interpretation"): lines end in
 * CRLF, LF or CR; {@code :} starts a comment; {@code field: value} loses exactly one space after the colon, nothing
 * else is trimmed; {@code data} lines join with {@code \n}; a blank line dispatches the event when it has data; an
 * unfinished event at the end of the stream is dropped. Lines longer than {@code maxLine} characters are cut there.
 * Not thread-safe.
 */
public final class SseReader implements AutoCloseable {
    /** One dispatched event; {@code type} is "" when the stream named none, {@code id} the last id seen ("" if none). */
    public record Event(String type, String data, String id) {}

    private final BufferedReader in;
    private final int maxLine;
    private final StringBuilder line = new StringBuilder();
    private String lastId = "";
    private boolean pendingLf;

    public SseReader(InputStream in, int maxLine) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.maxLine = maxLine;
    }

    /** Blocks for the next event; empty at the end of the stream. */
    public Optional<Event> next() throws IOException {
        String type = "";
        StringBuilder data = null;
        while (readLine()) {
            String l = line.toString();
            if (l.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Event(type, data.toString(), lastId));
                }
                type = "";
                continue;
            }
            if (l.charAt(0) == ':') {
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastId = value;
                    }
                }
                default -> {
                    // retry and unknown fields carry nothing for volant's clients
                }
            }
        }
        return Optional.empty();
    }

    /** Reads one line into {@link #line} (cut at {@code maxLine}); false at the end of the stream. */
    private boolean readLine() throws IOException {
        line.setLength(0);
        int c = in.read();
        if (pendingLf && c == '\n') {
            c = in.read(); // the LF of a CRLF whose CR ended the previous line
        }
        pendingLf = false;
        if (c < 0) {
            return false;
        }
        for (; c >= 0; c = in.read()) {
            if (c == '\n') {
                return true;
            }
            if (c == '\r') {
                pendingLf = true;
                return true;
            }
            if (line.length() < maxLine) {
                line.append((char) c);
            }
        }
        return true; // the last line of a stream without a final newline; no blank line follows, so no dispatch
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
