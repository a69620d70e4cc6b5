package io.volant.volantd.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.sse.SseClient;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.Subscription;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events/vms} (api-and-cli.md §2.7, Chosen): headers at once, {@code : connected}, one
 * {@code event:}/{@code data:} pair per VM event, {@code : keep-alive} every 15 s. Each client has its own bounded
 * queue on the bus, so a slow client never blocks publishers; a client that overflows is closed and counted.
 */
final class EventRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration POLL_SLICE = Duration.ofMillis(250);

    private final EventBus events;
    private final Json json;
    private final ApiMetrics metrics;
    private final AtomicBoolean closing;

    EventRoutes(EventBus events, Json json, ApiMetrics metrics, AtomicBoolean closing) {
        this.events = events;
        this.json = json;
        this.metrics = metrics;
        this.closing = closing;
    }

    void register(RoutesConfig r) {
        r.before("/api/v1/events/vms", ctx -> ctx.header("X-Accel-Buffering", "no"));
        r.sse("/api/v1/events/vms", this::stream);
    }

    private void stream(SseClient client) {
        client.sendComment("connected");
        try (Subscription subscription = events.subscribe(Topics.VM_EVENTS, EventBus.DEFAULT_CAPACITY)) {
            pump(client, subscription);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(SseClient client, Subscription subscription) throws InterruptedException {
        long lastWrite = System.nanoTime();
        while (!client.terminated() && !closing.get()) {
            VmEvent event = subscription.poll(POLL_SLICE);
            if (event != null) {
                client.sendEvent(event.type().name(), json.write(event));
                lastWrite = System.nanoTime();
            } else if (subscription.isClosed()) {
                if (subscription.overflowed()) {
                    metrics.eventDropped();
                    LOG.atWarn().addKeyValue("capacity", EventBus.DEFAULT_CAPACITY)
                            .log("sse subscriber fell behind; stream closed");
                }
                return;
            } else if (System.nanoTime() - lastWrite >= KEEP_ALIVE.toNanos()) {
                client.sendComment("keep-alive");
                lastWrite = System.nanoTime();
            }
        }
    }
}
