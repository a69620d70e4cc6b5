package io.volant.volar.console;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** {@code vms console --socket <path>}: the serial Unix socket on the volantd host, same escape as the WebSocket. */
public final class UnixSocketLink implements ConsoleSession.Link {
    private final SocketChannel channel;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile String lost;

    public UnixSocketLink(Path socket, PrintWriter out) throws IOException {
        this.channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Thread.ofPlatform().daemon().name("volar-console-socket").start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                while (channel.read(buf) >= 0) {
                    buf.flip();
                    out.print(StandardCharsets.UTF_8.decode(buf));
                    out.flush();
                    buf.clear();
                }
            } catch (IOException e) {
                if (!closing) {
                    lost = e.getMessage() == null ? "connection reset" : e.getMessage();
                }
            }
            closed.complete(null);
        });
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    public String lostReason() {
        return lost;
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }
}
