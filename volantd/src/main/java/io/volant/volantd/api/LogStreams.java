package io.volant.volantd.api;

import io.volant.volantd.agent.AgentGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.websocket.WsContext;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.vm.Vm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent log subscription per VM, shared by every logs WebSocket of that VM (api-and-cli.md §2.10.2, Chosen):
 * each line becomes one text frame per session and exactly one {@code VM_LOG} event. The subscription ends when its
 * last session leaves or the agent stream ends (sessions then close with 1000 {@code stream closed}).
 */
final class LogStreams {
    private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);
    /** SSE lines longer than this are cut (upstream's 1 MiB line limit). */
    private static final int MAX_LINE = 1024 * 1024;
    private static final int MAX_EARLY_FRAMES = 1000;

    private final AgentGateway agent;
    private final EventBus events;
    private final Json json;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    LogStreams(AgentGateway agent, EventBus events, Json json) {
        this.agent = agent;
        this.events = events;
        this.json = json;
    }

    /**
     * Reserves a place in the VM's subscription, opening it when needed, before the WebSocket upgrade.
     *
     * @throws ApiException 502 {@code agent unreachable} when the agent stream cannot be opened
     */
    synchronized Stream reserve(Vm vm) {
        Stream s = streams.get(vm.name());
        if (s == null || s.ended) {
            AgentGateway.Response response;
            try {
                response = agent.send(vm, new AgentGateway.Request("GET", "/v1/logs/stream",
                        Map.of("Accept", List.of("text/event-stream")), new byte[0]), Duration.ofSeconds(120));
            } catch (IOException e) {
                throw ApiException.upstream("agent unreachable");
            }
            if (response.status() != 200) {
                closeQuietly(response);
                throw ApiException.upstream("agent unreachable");
            }
            s = new Stream(vm, response);
            streams.put(vm.name(), s);
            Thread.ofVirtual().name("logs-" + vm.name()).start(s::pump);
        }
        s.reserved++;
        return s;
    }

    /** The end of every stream (shutdown). */
    synchronized void closeAll() {
        streams.values().forEach(Stream::end);
        streams.clear();
    }

    final class Stream {
        private final Vm vm;
        private final AgentGateway.Response response;
        private final Set<WsContext> sessions = ConcurrentHashMap.newKeySet();
        private int reserved;
        private volatile boolean ended;
        /** Frames that arrived while sessions were reserved but not yet joined; replayed on join (bounded). */
        private final java.util.ArrayDeque<String> early = new java.util.ArrayDeque<>();

        private Stream(Vm vm, AgentGateway.Response response) {
            this.vm = vm;
            this.response = response;
        }

        void join(WsContext ctx) {
            synchronized (LogStreams.this) {
                reserved--;
                early.forEach(ctx::send);
                if (reserved <= 0) {
                    early.clear();
                }
                sessions.add(ctx);
            }
            if (ended) {
                ctx.closeSession(1000, "stream closed");
            }
        }

        void leave(WsContext ctx) {
            synchronized (LogStreams.this) {
                sessions.remove(ctx);
                if (sessions.isEmpty() && reserved <= 0) {
                    end();
                    streams.remove(vm.name(), this);
                }
            }
        }

        private void end() {
            ended = true;
            closeQuietly(response);
        }

        /** SSE: {@code data:} lines accumulate (joined by newlines) until a blank line ends the event. */
        private void pump() {
            try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null && !ended) {
                    if (line.startsWith("data:")) {
                        String chunk = line.substring(5).trim();
                        data.append(data.isEmpty() ? "" : "\n").append(chunk, 0, Math.min(chunk.length(), MAX_LINE));
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        deliver(data.toString());
                        data.setLength(0);
                    }
                }
            } catch (IOException e) {
                LOG.atDebug().addKeyValue("vm", vm.name()).log("agent log stream ended: {}", e.getMessage());
            } finally {
                ended = true;
                streams.remove(vm.name(), this);
                for (WsContext ctx : sessions) {
                    try {
                        ctx.closeSession(1000, "stream closed");
                    } catch (RuntimeException e) {
                        // already closed
                    }
                }
            }
        }

        private void deliver(String data) {
            JsonNode node;
            try {
                node = json.mapper().readTree(data);
            } catch (IOException e) {
                return; // undecodable events are skipped, as upstream does
            }
            String stream = node.path("stream").asText("");
            String line = node.path("line").asText("");
            String timestamp = node.path("timestamp").asText("");
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("name", vm.name());
            frame.put("stream", stream);
            frame.put("line", line);
            frame.put("timestamp", timestamp);
            String text = json.write(frame);
            synchronized (LogStreams.this) {
                // A short stream can end before the WebSocket of the session that opened it has connected.
                if (reserved > 0 && early.size() < MAX_EARLY_FRAMES) {
                    early.add(text);
                }
                for (WsContext ctx : sessions) {
                    try {
                        ctx.send(text);
                    } catch (RuntimeException e) {
                        LOG.atDebug().addKeyValue("vm", vm.name()).log("logs session gone");
                    }
                }
            }
            events.publish(Topics.VM_EVENTS, new VmEvent(EventType.VM_LOG, vm.name(), "running", vm.ipAddress(), null,
                    null, instant(timestamp), line, stream, line));
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static void closeQuietly(AgentGateway.Response r) {
        try {
            r.close();
        } catch (IOException e) {
            // abandoning the stream anyway
        }
    }
}
