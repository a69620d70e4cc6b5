package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import io.volant.manifest.SseReader;
import java.io.InputStream;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code volar events}: follows the VM event stream (Server-Sent Events, api-and-cli.md §2.7). */
@Command(name = "events", description = "Follow VM events until the stream ends or Ctrl-C.")
final class EventsCommand extends Base {
    /** Longer SSE lines are cut (volantd's events are far shorter). */
    private static final int MAX_LINE = 1024 * 1024;
    @Option(names = "--json", description = "print each event's JSON")
    boolean raw;
    @Option(names = "--vm", paramLabel = "<name>", description = "only events of this VM")
    String vm;
    @Option(names = "--count", defaultValue = "0", description = "exit after this many events (0 = follow)")
    int count;

    @Override
    public Integer call() {
        int seen = 0;
        try (InputStream in = client(READ).openStream("/api/v1/events/vms", "text/event-stream");
                SseReader sse = new SseReader(in, MAX_LINE)) {
            for (Optional<SseReader.Event> e; (e = sse.next()).isPresent(); ) {
                if (show(e.get().type(), e.get().data()) && count > 0 && ++seen >= count) {
                    return 0;
                }
            }
        } catch (IOException e) {
            throw new CliException("event stream: " + e.getMessage());
        }
        return 0;
    }

    /** @return whether the event passed the filter and was printed */
    private boolean show(String type, String data) {
        JsonNode e;
        try {
            e = json().parse(data);
        } catch (IllegalArgumentException ex) {
            return false;
        }
        if (vm != null && !vm.equals(text(e, "name"))) {
            return false;
        }
        if (raw) {
            out().println(data);
        } else {
            String t = type.isEmpty() ? text(e, "type") : type;
            StringBuilder b = new StringBuilder(text(e, "timestamp")).append(' ').append(t).append(' ')
                    .append(text(e, "name"));
            if (!text(e, "status").isEmpty()) {
                b.append(' ').append(text(e, "status"));
            }
            if (!text(e, "message").isEmpty()) {
                b.append(" ").append(text(e, "message"));
            }
            out().println(b);
        }
        out().flush();
        return true;
    }
}
