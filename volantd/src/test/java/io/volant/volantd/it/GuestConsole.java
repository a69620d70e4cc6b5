package io.volant.volantd.it;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client of {@code /ws/v1/vms/{name}/console} for real-VM tests: collects everything the guest's serial console
 * sends (the hub's replay first, then live output) and types lines into its shell.
 */
final class GuestConsole implements AutoCloseable {
    private final StringBuilder seen = new StringBuilder();
    private final WebSocket ws;

    private GuestConsole(HttpClient client, int port, String vm) throws Exception {
        ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/v1/vms/" + vm
                + "/console"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        append(StandardCharsets.UTF_8.decode(data).toString());
                        w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        append(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
    }

    static GuestConsole open(HttpClient client, int port, String vm) throws Exception {
        return new GuestConsole(client, port, vm);
    }

    /** Types {@code line} (a newline is added). */
    void type(String line) throws Exception {
        ws.sendText(line + "\n", true).get(10, TimeUnit.SECONDS);
    }

    /** Waits up to {@code timeout} until the text seen so far satisfies {@code done}. */
    void awaitText(Duration timeout, Predicate<String> done) {
        await().atMost(timeout).until(() -> done.test(text()));
    }

    String text() {
        synchronized (seen) {
            return seen.toString();
        }
    }

    private void append(String s) {
        synchronized (seen) {
            seen.append(s);
        }
    }

    @Override
    public void close() throws Exception {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }
}
