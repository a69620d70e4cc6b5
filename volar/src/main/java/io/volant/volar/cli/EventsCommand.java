package io.volant.volar.cli;

import static io.volant.volar.client.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code volar events}: follows the VM event stream (Server-Sent Events, api-and-cli.md §2.7). */
@Command(name = "events", description = "Follow VM events until the stream ends or Ctrl-C.")
final class EventsCommand extends Base {
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
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String type = "";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty() && show(type, data.toString()) && count > 0 && ++seen >= count) {
                        return 0;
                    }
                    type = "";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).trim());
                }
                // ':' comments (connected, keep-alive) and unknown fields are ignored
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
