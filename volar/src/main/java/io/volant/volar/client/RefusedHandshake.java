package io.volant.volar.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * Reads the body of a refused WebSocket handshake. The JDK's WebSocket client reports only the status of a refusal
 * (its {@code WebSocketHandshakeException} response has no body), but volantd explains every refusal in its JSON
 * error body (api-and-cli.md §2.10: {@code vm not found}, {@code console already attached}...), which volar must print
 * (§5.5). So the handshake is repeated once over a plain socket and the answer read by hand; an accepted repeat (the
 * refusal's cause went away meanwhile) is closed at once and yields nothing.
 */
final class RefusedHandshake {
    private static final int MAX_BODY = 64 * 1024;

    private RefusedHandshake() {}

    /** @return the body of the repeated refusal, or empty when it cannot be read */
    static byte[] body(URI uri, String apiKeyHeader, String apiKey, Duration timeout, javax.net.ssl.SSLContext tlsContext) {
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        try (Socket s = tls ? (tlsContext == null ? SSLSocketFactory.getDefault() : tlsContext.getSocketFactory())
                .createSocket(uri.getHost(), port)
                : new Socket(uri.getHost(), port)) {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
            if (!apiKey.isEmpty()) {
                req.append(apiKeyHeader).append(": ").append(apiKey).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = head(in);
            String[] status = head.split(" ", 3);
            if (status.length < 2 || status[1].equals("101")) {
                return new byte[0];
            }
            long length = -1;
            boolean chunked = false;
            for (String line : head.split("\r\n")) {
                String l = line.toLowerCase(Locale.ROOT);
                if (l.startsWith("content-length:")) {
                    length = Long.parseLong(l.substring(15).trim());
                } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                return chunked(in);
            }
            return in.readNBytes((int) Math.min(length < 0 ? MAX_BODY : length, MAX_BODY));
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && b.size() < MAX_BODY) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < MAX_BODY) {
            String size = line(in).split(";", 2)[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            body.write(in.readNBytes(n));
            line(in);
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
