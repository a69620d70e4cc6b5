package io.volant.volantd.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.manifest.SseReader;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.errors.UpstreamException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent log subscription per VM, shared by every logs WebSocket of that VM (api-and-cli.md §2.10.2, Chosen):
 * each line becomes one text frame per session and exactly one {@code VM_LOG} event. The subscription ends when its
 * last session leaves or the agent stream ends (sessions then close with 1000 {@code stream closed}).
 */
public final class LogStreams {
    private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);
    /** SSE lines longer than this are cut (upstream's 1 MiB line limit). */
    private static final int MAX_LINE = 1024 * 1024;
    private static final int MAX_EARLY_FRAMES = 1000;

    private final AgentGateway agent;
    private final EventBus events;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    public LogStreams(AgentGateway agent, EventBus events) {
        this.agent = agent;
        this.events = events;
    }

    /** One client of a subscription (a logs WebSocket); equal sinks are the same client. */
    public interface Sink {
        void send(String text);

        /** Ends the client's session ({@code 1000 stream closed}). */
        void close(int code, String reason);
    }

    /**
     * Reserves a place in the VM's subscription, opening it when needed, before the WebSocket upgrade.
     *
     * @param ip the VM's leased IP, "" when it has none
     * @throws UpstreamException 502 {@code agent unreachable} when the agent stream cannot be opened
     */
    public synchronized Stream reserve(String vm, String ip) {
        Stream s = streams.get(vm);
        if (s == null || s.ended) {
            AgentGateway.Response response;
            try {
                response = agent.send(vm, ip, new AgentGateway.Request("GET", "/v1/logs/stream",
                        Map.of("Accept", List.of("text/event-stream")), new byte[0]), Duration.ofSeconds(120));
            } catch (IOException e) {
                throw new UpstreamException("agent unreachable");
            }
            if (response.status() != 200) {
                closeQuietly(response);
                throw new UpstreamException("agent unreachable");
            }
            s = new Stream(vm, ip, response);
            streams.put(vm, s);
            Thread.ofVirtual().name("logs-" + vm).start(s::pump);
        }
        s.reserved++;
        return s;
    }

    /** The end of every stream (shutdown). */
    public synchronized void closeAll() {
        streams.values().forEach(Stream::end);
        streams.clear();
    }

    public final class Stream {
        private final String vm;
        private final String ip;
        private final AgentGateway.Response response;
        private final Set<Sink> sessions = ConcurrentHashMap.newKeySet();
        private int reserved;
        private volatile boolean ended;
        /** Frames that arrived while sessions were reserved but not yet joined; replayed on join (bounded). */
        private final java.util.ArrayDeque<String> early = new java.util.ArrayDeque<>();

        private Stream(String vm, String ip, AgentGateway.Response response) {
            this.vm = vm;
            this.ip = ip;
            this.response = response;
        }

        public void join(Sink ctx) {
            synchronized (LogStreams.this) {
                reserved--;
                early.forEach(ctx::send);
                if (reserved <= 0) {
                    early.clear();
                }
                sessions.add(ctx);
            }
            if (ended) {
                ctx.close(1000, "stream closed");
            }
        }

        public void leave(Sink ctx) {
            synchronized (LogStreams.this) {
                sessions.remove(ctx);
                if (sessions.isEmpty() && reserved <= 0) {
                    end();
                    streams.remove(vm, this);
                }
            }
        }

        private void end() {
            ended = true;
            closeQuietly(response);
        }

        /** Each SSE event's data is one agent log record. */
        private void pump() {
            try (SseReader sse = new SseReader(response.body(), MAX_LINE)) {
                for (Optional<SseReader.Event> e; !ended && (e = sse.next()).isPresent(); ) {
                    if (!e.get().data().isEmpty()) {
                        deliver(e.get().data());
                    }
                }
            } catch (IOException e) {
                LOG.atDebug().addKeyValue("vm", vm).log("agent log stream ended: {}", e.getMessage());
            } finally {
                ended = true;
                streams.remove(vm, this);
                for (Sink ctx : sessions) {
                    try {
                        ctx.close(1000, "stream closed");
                    } catch (RuntimeException e) {
                        // already closed
                    }
                }
            }
        }

        private void deliver(String data) {
            JsonNode node;
            try {
                node = json.readTree(data);
            } catch (IOException e) {
                return; // undecodable events are skipped, as upstream does
            }
            String stream = node.path("stream").asText("");
            String line = node.path("line").asText("");
            String timestamp = node.path("timestamp").asText("");
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("name", vm);
            frame.put("stream", stream);
            frame.put("line", line);
            frame.put("timestamp", timestamp);
            String text;
            try {
                text = json.writeValueAsString(frame);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode a log frame", e);
            }
            synchronized (LogStreams.this) {
                // A short stream can end before the WebSocket of the session that opened it has connected.
                if (reserved > 0 && early.size() < MAX_EARLY_FRAMES) {
                    early.add(text);
                }
                for (Sink ctx : sessions) {
                    try {
                        ctx.send(text);
                    } catch (RuntimeException e) {
                        LOG.atDebug().addKeyValue("vm", vm).log("logs session gone");
                    }
                }
            }
            events.publish(Topics.VM_EVENTS, new VmEvent(EventType.VM_LOG, vm, "running", ip, null,
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
