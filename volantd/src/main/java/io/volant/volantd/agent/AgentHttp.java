package io.volant.volantd.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one "HTTP/1.1 over a supplied byte stream" client of §7.3: one request per stream ({@code Connection: close}),
 * bodies by {@code Content-Length}, chunked encoding or end of stream. Responses are capped at {@code maxBody}.
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
        String p = path.startsWith("/") ? path : "/" + path;
        try (ByteChannel ch = transport.open(port)) {
            OutputStream out = Channels.newOutputStream(ch);
            StringBuilder head = new StringBuilder(method).append(' ').append(p).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(transport.describe().startsWith("vsock:") ? "localhost" : transport.describe())
                    .append(':').append(port).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return read(Channels.newInputStream(ch));
        }
    }

    private Response read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("agent answered with a non-HTTP status line \"" + status + "\"");
        }
        int code = Integer.parseInt(parts[1]);
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
}
