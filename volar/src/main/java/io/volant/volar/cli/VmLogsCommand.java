package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code volar vms logs}: follows the workload's log lines until the stream closes (api-and-cli.md §5.5). */
@Command(name = "logs", description = "Follow a VM workload's logs.")
final class VmLogsCommand extends Base {
    @Parameters(paramLabel = "<name>")
    String name;
    @Option(names = "--json", description = "print each log frame as raw JSON")
    boolean raw;

    @Override
    public Integer call() throws InterruptedException {
        CompletableFuture<int[]> closed = new CompletableFuture<>();
        StringBuilder reason = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    print(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String why) {
                reason.append(why);
                closed.complete(new int[] {code});
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                reason.append(error.getMessage());
                closed.complete(new int[] {1006});
            }
        };
        client(READ).webSocket("/ws/v1/vms/" + seg(name) + "/logs", listener);
        int code;
        try {
            code = closed.get()[0];
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (code != WebSocket.NORMAL_CLOSURE && code != 1001) {
            throw new CliException("log stream ended: " + (reason.isEmpty() ? "code " + code : reason));
        }
        return 0;
    }

    private synchronized void print(String frame) {
        if (raw) {
            out().println(frame);
        } else {
            try {
                JsonNode n = json().parse(frame);
                out().println(text(n, "timestamp") + " [" + text(n, "stream") + "] " + text(n, "line"));
            } catch (IllegalArgumentException e) {
                out().println(frame);
            }
        }
        out().flush();
    }
}
