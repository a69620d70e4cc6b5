package io.volant.volantd.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one "HTTP/1.1 over a supplied byte stream" client of §7.3: one request per stream ({@code Connection: close}),
 * bodies by {@code Content-Length}, chunked encoding or end of stream. {@link #request} reads the whole response
 * (capped at {@code maxBody}); {@link #open} streams it (agent proxy, actions, logs stream of the API).
 */
public final class AgentHttp {
    private final AgentTransport transport;
    private final int maxBody;

    public AgentHttp(AgentTransport transport, int maxBody) {
        this.transport = transport;
        this.maxBody = maxBody;
    }

    /** A complete response; header names lower-cased. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public Response request(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        try (ByteChannel ch = transport.open(port)) {
            send(ch, port, method, path, multi, body);
            return read(Channels.newInputStream(ch));
        }
    }

    /** A response whose body is still on the wire; closing it closes the stream to the guest. */
    public record Streamed(int status, Map<String, List<String>> headers, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Headers this client sets itself (one request per stream), dropped from the caller's. */
    private static final Set<String> OWN_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "te", "trailer", "transfer-encoding");

    /**
     * Sends one request and returns once the response head is read; the body (chunked, by length or to end of
     * stream) is decoded lazily and never capped.
     *
     * @param headerTimeout time allowed until the response head is read; the stream is closed when it passes
     */
    public Streamed open(int port, String method, String path, Map<String, List<String>> headers, byte[] body,
            Duration headerTimeout) throws IOException {
        ByteChannel ch = transport.open(port);
        AtomicBoolean headRead = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        // Blocking channels have no read timeout; a watchdog closes the stream if the head is late.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(headerTimeout);
                if (!headRead.get()) {
                    timedOut.set(true);
                    ch.close();
                }
            } catch (InterruptedException | IOException e) {
                // head arrived in time, or already closed
            }
        });
        try {
            send(ch, port, method, path, headers, body);
            InputStream in = Channels.newInputStream(ch);
            int status = status(line(in));
            Map<String, List<String>> h = new LinkedHashMap<>();
            for (String l; !(l = line(in)).isEmpty(); ) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    h.computeIfAbsent(l.substring(0, colon).trim(), k -> new ArrayList<>())
                            .add(l.substring(colon + 1).trim());
                }
            }
            headRead.set(true);
            watchdog.interrupt();
            String te = first(h, "transfer-encoding");
            String length = first(h, "content-length");
            InputStream decoded = "chunked".equalsIgnoreCase(te) ? new Chunked(in)
                    : length != null ? new Bounded(in, Long.parseLong(length)) : in;
            return new Streamed(status, h, decoded);
        } catch (IOException | RuntimeException e) {
            watchdog.interrupt();
            ch.close();
            if (timedOut.get()) {
                var timeout = new java.net.http.HttpTimeoutException("agent " + transport.describe()
                        + " did not answer within " + headerTimeout.toMillis() + " ms");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        }
    }

    private void send(ByteChannel ch, int port, String method, String path, Map<String, List<String>> headers,
            byte[] body) throws IOException {
        String p = path.startsWith("/") ? path : "/" + path;
        OutputStream out = Channels.newOutputStream(ch);
        StringBuilder head = new StringBuilder(method).append(' ').append(p).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(transport.describe().startsWith("vsock:") ? "localhost" : transport.describe())
                .append(':').append(port).append("\r\n");
        headers.forEach((k, vs) -> {
            if (!OWN_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                vs.forEach(v -> head.append(k).append(": ").append(v).append("\r\n"));
            }
        });
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String first(Map<String, List<String>> h, String name) {
        for (Map.Entry<String, List<String>> e : h.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("agent answered with a non-HTTP status line \"" + line + "\"");
        }
        return Integer.parseInt(parts[1]);
    }

    private Response read(InputStream in) throws IOException {
        int code = status(line(in));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                copy(in, body, size);
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            copy(in, body, Integer.parseInt(headers.get("content-length")));
        } else {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (body.size() + n > maxBody) {
                    throw new IOException("agent response exceeds " + maxBody + " bytes");
                }
                body.write(buf, 0, n);
            }
        }
        return new Response(code, headers, body.toByteArray());
    }

    private void copy(InputStream in, ByteArrayOutputStream out, int n) throws IOException {
        if (out.size() + n > maxBody) {
            throw new IOException("agent response exceeds " + maxBody + " bytes");
        }
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("agent response truncated");
        }
        out.write(b);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
            if (b.length() > 16 * 1024) {
                throw new IOException("agent response header line too long");
            }
        }
        if (b.isEmpty()) {
            throw new IOException("agent closed the connection");
        }
        return b.toString();
    }

    /** A {@code Content-Length} body: end of stream after {@code length} bytes. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("agent response truncated");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A chunked body, decoded as it arrives (the logs stream never ends on its own). */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean started;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0; // InputStream contract; readNBytes asks for 0 bytes once it has enough
            }
            if (done) {
                return -1;
            }
            if (left == 0) {
                if (started) {
                    line(in); // CRLF after the previous chunk
                }
                started = true;
                left = Long.parseLong(line(in).split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("agent response truncated");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
