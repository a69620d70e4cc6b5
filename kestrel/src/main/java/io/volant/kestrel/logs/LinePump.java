package io.volant.kestrel.logs;

import io.volant.kestrel.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a workload pipe into lines and hands every line to the console and the {@link LogBuffer}. A line longer than
 * {@link #MAX_LINE} bytes is cut into several events of at most that size, so nothing is lost and memory stays bounded.
 */
public final class LinePump {
    /** 64 KiB, plugins-and-guest.md §2.9. */
    public static final int MAX_LINE = 64 * 1024;

    private final LogBuffer buffer;
    private final Clock clock;

    public LinePump(LogBuffer buffer, Clock clock) {
        this.buffer = buffer;
        this.clock = clock;
    }

    /** Reads {@code in} until EOF on the calling thread; returns quietly when the pipe breaks. */
    public void pump(String stream, InputStream in, PrintStream console) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(stream, line, console);
                    } else {
                        line.write(b);
                        if (line.size() >= MAX_LINE) {
                            emit(stream, line, console);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The process closed its end or was killed; whatever was read so far is flushed below.
        }
        if (line.size() > 0) {
            emit(stream, line, console);
        }
    }

    private void emit(String stream, ByteArrayOutputStream line, PrintStream console) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        console.println(text);
        buffer.publish(new LogEvent(stream, text, clock.wallNow()));
    }
}
