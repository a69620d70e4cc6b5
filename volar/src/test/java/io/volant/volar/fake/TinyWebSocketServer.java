package io.volant.volar.fake;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A minimal RFC 6455 server on loopback port 0 for volantd's WebSocket routes ({@code /ws/v1/vms/<n>/console},
 * {@code .../logs}): {@code com.sun.net.httpserver} cannot upgrade connections. A handler decides per request:
 * refuse with an HTTP status and JSON error (validation before the upgrade, api-and-cli.md §2.10), or accept and
 * talk over a {@link Conn}.
 */
public final class TinyWebSocketServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Per-request behaviour. */
    public interface Handler {
        /** @return null to accept the upgrade, or {status, message} to refuse it */
        String[] refuse(String path, Map<String, String> headers);

        /** Runs on the connection's thread after the upgrade. */
        void accepted(String path, Conn conn) throws IOException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Thread acceptor;

    public TinyWebSocketServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("tiny-ws").start(this::acceptLoop);
    }

    public String base() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().name("tiny-ws-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String[] request = readLine(in).split(" ");
            Map<String, String> headers = new HashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int c = line.indexOf(':');
                headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
            }
            String path = request[1];
            String[] refusal = handler.refuse(path, headers);
            if (refusal != null) {
                byte[] body = ("{\"error\":\"" + refusal[1] + "\"}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + refusal[0] + " Refused\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return;
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((headers.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Conn conn = new Conn(new DataInputStream(in), out);
            Thread.ofPlatform().daemon().name("tiny-ws-read").start(conn::readLoop);
            handler.accepted(path, conn);
        } catch (Exception e) {
            // connection ended
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** One upgraded connection. Received data frames land in {@link #received()}; a close frame ends it. */
    public static final class Conn {
        private final DataInputStream in;
        private final OutputStream out;
        private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        private volatile boolean closedByClient;

        Conn(DataInputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        public BlockingQueue<byte[]> received() {
            return received;
        }

        public boolean closedByClient() {
            return closedByClient;
        }

        public synchronized void sendBinary(byte[] data) throws IOException {
            frame(0x2, data);
        }

        public synchronized void sendText(String data) throws IOException {
            frame(0x1, data.getBytes(StandardCharsets.UTF_8));
        }

        public synchronized void close(int code, String reason) throws IOException {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] p = new byte[2 + r.length];
            p[0] = (byte) (code >> 8);
            p[1] = (byte) code;
            System.arraycopy(r, 0, p, 2, r.length);
            frame(0x8, p);
        }

        private void frame(int opcode, byte[] data) throws IOException {
            out.write(0x80 | opcode);
            if (data.length < 126) {
                out.write(data.length);
            } else {
                out.write(126);
                out.write(data.length >> 8);
                out.write(data.length);
            }
            out.write(data);
            out.flush();
        }

        private void readLoop() {
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    long len = b1 & 0x7f;
                    if (len == 126) {
                        len = in.readUnsignedShort();
                    } else if (len == 127) {
                        len = in.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        in.readFully(mask);
                    }
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    int opcode = b0 & 0x0f;
                    if (opcode == 0x8) {
                        closedByClient = true;
                        close(1000, "");
                        return;
                    }
                    if (opcode == 0x9) {
                        synchronized (this) {
                            frame(0xA, payload);
                        }
                    } else if (opcode == 0x1 || opcode == 0x2 || opcode == 0x0) {
                        received.add(payload);
                    }
                }
            } catch (IOException e) {
                // peer gone
            }
        }
    }
}
