package io.volant.volantd.api;

import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DevTools session (api-and-cli.md §2.10.3): frames relayed both ways keeping their type (text/binary), a
 * close on either side closes the other with 1000. Upstream frames that arrive before the client's WebSocket is
 * connected are queued. Sends to the upstream are chained because java.net.http allows one outstanding send.
 */
final class DevtoolsRelay implements WebSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(DevtoolsRelay.class);

    private final String vm;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket upstream;
    private WsContext client;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
    private boolean closed;

    DevtoolsRelay(String vm) {
        this.vm = vm;
    }

    synchronized void upstream(WebSocket ws) {
        this.upstream = ws;
    }

    /** The client's WebSocket is open: flush what the browser already sent. */
    synchronized void bind(WsContext ctx) {
        this.client = ctx;
        while (!pending.isEmpty()) {
            Object frame = pending.poll();
            if (frame instanceof String s) {
                ctx.send(s);
            } else {
                ctx.send((ByteBuffer) frame);
            }
        }
        if (closed) {
            ctx.closeSession(1000, "devtools closed");
        }
    }

    // ------------------------------------------------------------------ client → browser

    synchronized void fromClient(String message) {
        if (!closed && upstream != null) {
            WebSocket ws = upstream;
            sends = sends.thenCompose(x -> ws.sendText(message, true));
        }
    }

    synchronized void fromClient(ByteBuffer data) {
        if (!closed && upstream != null) {
            WebSocket ws = upstream;
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            sends = sends.thenCompose(x -> ws.sendBinary(copy, true));
        }
    }

    /** The client left: close the browser side with 1000. */
    synchronized void clientClosed() {
        if (closed) {
            return;
        }
        closed = true;
        if (upstream != null) {
            WebSocket ws = upstream;
            sends.handle((x, t) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closed"))
                    .exceptionally(t -> null);
        }
        log.debug("devtools session ended by client vm={}", vm);
    }

    // ------------------------------------------------------------------ browser → client

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        synchronized (this) {
            text.append(data);
            if (last) {
                toClient(text.toString());
                text.setLength(0);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        synchronized (this) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                toClient(ByteBuffer.wrap(binary.toByteArray()));
                binary.reset();
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        upstreamEnded("browser closed " + statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        upstreamEnded("browser error: " + error.getMessage());
    }

    private void toClient(Object frame) {
        if (client == null) {
            pending.add(frame);
        } else if (frame instanceof String s) {
            client.send(s);
        } else {
            client.send((ByteBuffer) frame);
        }
    }

    private synchronized void upstreamEnded(String why) {
        if (closed) {
            return;
        }
        closed = true;
        log.debug("devtools session ended vm={} reason={}", vm, why);
        if (client != null) {
            try {
                client.closeSession(1000, "devtools closed");
            } catch (RuntimeException e) {
                // already closed
            }
        }
        if (upstream != null && !upstream.isOutputClosed()) {
            upstream.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
        }
    }
}
