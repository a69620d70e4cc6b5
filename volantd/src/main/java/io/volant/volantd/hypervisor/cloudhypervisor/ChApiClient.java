package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.volantd.hypervisor.HypervisorException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Cloud Hypervisor's REST API over its Unix socket (HTTP/1.1, one request per connection). */
public final class ChApiClient {
    private final Path socket;

    public ChApiClient(Path socket) {
        this.socket = socket;
    }

    /**
     * Sends {@code PUT /api/v1/<action>} with an empty body and returns the status code.
     *
     * @throws HypervisorException when the socket cannot be reached or the answer is not HTTP
     */
    public int put(String action) {
        return put(action, null);
    }

    /**
     * Sends {@code PUT /api/v1/<action>} with {@code jsonBody} ({@code application/json}; null for none) and returns
     * the status code.
     *
     * @throws HypervisorException when the socket cannot be reached or the answer is not HTTP
     */
    public int put(String action, String jsonBody) {
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            String req = "PUT /api/v1/" + action + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n"
                    + (jsonBody == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            ByteBuffer b = ByteBuffer.allocate(req.length() + body.length);
            b.put(req.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.US_ASCII));
            String status = r.readLine();
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new HypervisorException("cloudhypervisor: " + action + ": unexpected answer " + status);
            }
            String[] parts = status.split(" ", 3);
            return Integer.parseInt(parts[1]);
        } catch (IOException | RuntimeException e) {
            if (e instanceof HypervisorException he) {
                throw he;
            }
            throw new HypervisorException("cloudhypervisor: " + action + ": " + e.getMessage(), e);
        }
    }

    /** {@link #put(String, String)} that accepts only 2xx. @throws HypervisorException naming the status */
    public void call(String action, String jsonBody) {
        int code = put(action, jsonBody);
        if (code < 200 || code > 299) {
            throw new HypervisorException("cloudhypervisor: " + action + ": status " + code);
        }
    }
}
