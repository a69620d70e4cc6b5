package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.manifest.SseReader;
import io.volant.volar.output.Format;
import io.volant.volar.output.Times;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code volar events}: follows the VM event stream (Server-Sent Events, api-and-cli.md §2.7). The stream never
 * ends by itself, so its end is a lost connection (exit 1); a closed stdout ({@code | head -1}) ends the command
 * quietly at the next event (issue 17 rows 13, 14).
 */
@Command(name = "events", description = "Follow VM events until Ctrl-C (or --count events).")
final class EventsCommand extends Base {
    /** Longer SSE lines are cut (volantd's events are far shorter). */
    private static final int MAX_LINE = 1024 * 1024;
    @Mixin
    OutputOption output;
    @Option(names = "--json", hidden = true, description = "same as -o json")
    boolean raw;
    @Option(names = "--vm", paramLabel = "<name>", description = "only events of this VM")
    String vm;
    @Option(names = "--count", defaultValue = "0", paramLabel = "<n>",
            description = "exit after this many events (0 = follow)")
    int count;

    @Override
    public Integer call() {
        Format f = raw ? Format.JSON : format(output);
        if (count < 0) {
            throw usage("--count must be at least 0 (got " + count + ")");
        }
        int seen = 0;
        try (InputStream in = client(READ).openStream("/api/v1/events/vms", "text/event-stream");
                SseReader sse = new SseReader(in, MAX_LINE)) {
            for (Optional<SseReader.Event> e; (e = sse.next()).isPresent(); ) {
                if (show(f, e.get().type(), e.get().data())) {
                    if (out().checkError()) {
                        return 0; // the reader is gone (| head): nobody to write for
                    }
                    if (count > 0 && ++seen >= count) {
                        return 0;
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("connection to volantd lost (" + root().apiBase() + "): " + e.getMessage());
        }
        throw new CliException("connection to volantd lost (" + root().apiBase() + "): the event stream ended");
    }

    /** @return whether the event passed the filter and was printed */
    private boolean show(Format f, String type, String data) {
        JsonNode e;
        try {
            e = json().parse(data);
        } catch (IllegalArgumentException ex) {
            return false;
        }
        if (vm != null && !vm.equals(text(e, "name"))) {
            return false;
        }
        switch (f) {
            case JSON -> out().println(json().compact(e));
            case YAML -> out().println("---\n" + json().yaml(e));
            case NAME -> out().println(text(e, "name"));
            default -> {
                String t = type.isEmpty() ? text(e, "type") : type;
                StringBuilder b = new StringBuilder(Times.readable(text(e, "timestamp"))).append(' ').append(t)
                        .append(' ').append(text(e, "name"));
                if (!text(e, "status").isEmpty()) {
                    b.append(' ').append(text(e, "status"));
                }
                if (!text(e, "message").isEmpty()) {
                    b.append(" ").append(text(e, "message"));
                }
                out().println(b);
            }
        }
        out().flush();
        return true;
    }
}
