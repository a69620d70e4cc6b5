package io.volant.volar.console;

import java.io.PrintWriter;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The console WebSocket ({@code /ws/v1/vms/{name}/console}): binary and text frames from the server are console
 * output, written to {@code out} as UTF-8 text (a multi-byte character split across frames is reassembled).
 */
public final class WebSocketLink implements WebSocket.Listener, ConsoleSession.Link {
    private final PrintWriter out;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private volatile WebSocket socket;
    private volatile String lost;

    public WebSocketLink(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        write(data);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (this) {
            out.print(data);
            out.flush();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode != WebSocket.NORMAL_CLOSURE) {
            lost = "closed with code " + statusCode + (reason == null || reason.isBlank() ? "" : ": " + reason);
        }
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost = error.getMessage() == null || error.getMessage().isBlank() ? "connection reset" : error.getMessage();
        closed.complete(null);
    }

    @Override
    public String lostReason() {
        return lost;
    }

    private synchronized void write(ByteBuffer data) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + data.remaining());
        in.put(pending).put(data).flip();
        CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, chars, false);
        chars.flip();
        out.print(chars);
        out.flush();
        pending = ByteBuffer.allocate(in.remaining()).put(in).flip();
    }

    @Override
    public void send(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "detached").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the server may already be gone; detaching must not fail
            }
            ws.abort();
        }
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }
}
