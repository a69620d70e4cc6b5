package io.volant.volar.cli;

import static io.volant.volar.client.ApiClient.seg;
import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volar.client.ApiClient;
import io.volant.volar.client.Durations;
import io.volant.volar.output.Format;
import io.volant.volar.output.Times;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code volar vms logs}: the workload's buffered log lines (the agent's {@code /v1/logs}), with {@code -f} then
 * the live ones over {@code /ws/v1/vms/{name}/logs} until the stream closes or Ctrl-C (api-and-cli.md §5.5,
 * issue 17 row 23).
 */
@Command(name = "logs", description = "Print a VM workload's logs (-f follows them).")
final class VmLogsCommand extends Base {
    @Parameters(paramLabel = "<name>", description = "VM name")
    String name;
    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until the stream ends or Ctrl-C")
    boolean follow;
    @Option(names = "--tail", paramLabel = "<n>", description = "only the last n buffered lines (default all)")
    Integer tail;
    @Option(names = "--since", paramLabel = "<duration>", description = "only lines newer than this, e.g. 10m")
    String since;
    @Mixin
    OutputOption output;
    @Option(names = "--json", hidden = true, description = "same as -o json")
    boolean raw;

    @Override
    public Integer call() throws InterruptedException {
        Format f = raw ? Format.JSON : format(output);
        if (tail != null && tail < 0) {
            throw usage("--tail must be at least 0 (got " + tail + ")");
        }
        Instant from = null;
        if (since != null) {
            try {
                from = env().clock().instant().minus(Durations.parse(since));
            } catch (IllegalArgumentException e) {
                throw usage("--since: " + e.getMessage());
            }
        }
        ApiClient api = client(READ);
        String status = text(api.get(VmsCommand.vmPath(name)), "status");
        if (!status.equals("running")) {
            throw new CliException("VM " + name + " is " + status + "; logs are served by its agent while it runs");
        }
        List<JsonNode> buffered = new ArrayList<>();
        for (JsonNode e : api.get(VmsCommand.vmPath(name) + "/agent/v1/logs")) {
            Instant t = Times.parse(text(e, "timestamp"));
            if (from == null || t == null || !t.isBefore(from)) {
                buffered.add(e);
            }
        }
        List<JsonNode> shown = tail == null ? buffered : buffered.subList(Math.max(0, buffered.size() - tail),
                buffered.size());
        Set<String> printed = new HashSet<>();
        for (JsonNode e : buffered) {
            printed.add(key(e)); // also the lines --tail hid: the stream replays them and they stay hidden
        }
        shown.forEach(e -> print(f, e));
        return follow ? follow(api, f, printed) : 0;
    }

    private int follow(ApiClient api, Format f, Set<String> replayed) throws InterruptedException {
        CompletableFuture<int[]> closed = new CompletableFuture<>();
        StringBuilder reason = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frame(f, partial.toString(), replayed);
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
                reason.append(error.getMessage() == null ? "connection lost" : error.getMessage());
                closed.complete(new int[] {1006});
            }
        };
        api.webSocket("/ws/v1/vms/" + seg(name) + "/logs", listener);
        int code;
        try {
            code = closed.get()[0];
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (code != WebSocket.NORMAL_CLOSURE && code != 1001) {
            throw new CliException("connection to volantd lost while following the logs of VM " + name + " ("
                    + (reason.isEmpty() ? "code " + code : reason) + ")");
        }
        return 0;
    }

    private synchronized void frame(Format f, String frame, Set<String> replayed) {
        JsonNode n;
        try {
            n = json().parse(frame);
        } catch (IllegalArgumentException e) {
            out().println(frame);
            out().flush();
            return;
        }
        if (!replayed.remove(key(n))) {
            print(f, n);
        }
    }

    private static String key(JsonNode e) {
        return text(e, "timestamp") + "|" + text(e, "stream") + "|" + text(e, "line");
    }

    private synchronized void print(Format f, JsonNode e) {
        switch (f) {
            case JSON -> out().println(json().compact(e));
            case YAML -> out().println("---\n" + json().yaml(e));
            case NAME -> out().println(text(e, "line"));
            default -> out().println(Times.readable(text(e, "timestamp")) + " [" + text(e, "stream") + "] "
                    + text(e, "line"));
        }
        out().flush();
    }
}
