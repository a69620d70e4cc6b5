package io.volant.kestrel.http;

import com.sun.net.httpserver.HttpExchange;
import io.volant.kestrel.logs.LogBuffer;
import io.volant.kestrel.logs.LogEvent;
import io.volant.kestrel.time.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /v1/logs} (JSON array) and {@code GET /v1/logs/stream} (SSE: replay, then live) — §2.9, G12. */
final class LogsHandler {
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    /** How often a stream re-checks whether the server is closing. */
    private static final long POLL_MILLIS = 500;

    private final LogBuffer buffer;
    private final Clock clock;
    private final BooleanSupplier closing;

    LogsHandler(LogBuffer buffer, Clock clock, BooleanSupplier closing) {
        this.buffer = buffer;
        this.clock = clock;
        this.closing = closing;
    }

    void list(HttpExchange ex) throws IOException {
        HttpIo.json(ex, 200, buffer.snapshot().stream().map(LogsHandler::toJson).toList());
    }

    void stream(HttpExchange ex) throws IOException {
        // Subscribe (and start the keepalive clock) before the client sees the headers, so nothing it triggers
        // afterwards can be missed.
        try (LogBuffer.Subscription sub = buffer.subscribe()) {
            long lastWrite = clock.nanos();
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (LogEvent e : sub.replay()) {
                write(out, e);
            }
            out.flush();
            while (!closing.getAsBoolean()) {
                LogEvent e = sub.poll(POLL_MILLIS);
                if (e != null) {
                    write(out, e);
                    out.flush();
                    lastWrite = clock.nanos();
                } else if (clock.nanos() - lastWrite >= KEEPALIVE.toNanos()) {
                    out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = clock.nanos();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, LogEvent e) throws IOException {
        out.write(("data: " + Json.write(toJson(e)) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> toJson(LogEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stream", e.stream());
        m.put("line", e.line());
        m.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(e.timestamp()));
        return m;
    }

    static List<Map<String, Object>> toJson(List<LogEvent> events) {
        return events.stream().map(LogsHandler::toJson).toList();
    }
}
