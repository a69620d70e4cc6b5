package io.volant.volantd.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
        r.get("/api/v1/events/vms", this::stream);
    }

    /**
     * Written by hand rather than with Javalin's SSE helper, which only streams to clients sending
     * {@code Accept: text/event-stream} and runs consumers on a bounded async pool. This handler blocks its own
     * (virtual) request thread for the life of the stream.
     */
    private void stream(Context ctx) throws IOException {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("Connection", "keep-alive");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();
        try (Subscription subscription = events.subscribe(Topics.VM_EVENTS, EventBus.DEFAULT_CAPACITY)) {
            try {
                write(out, ": connected\n\n");
                pump(out, subscription);
            } catch (EventWriteFailed e) {
                lost(subscription, 1, e.getCause());
            } catch (IOException e) {
                lost(subscription, 0, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The stream ended on a write failure (a client gone, or one that stopped reading until the write timed out).
     * Whatever was still queued, plus the event whose write failed, never reached the client: that is recorded like
     * an overflow, so a stall past the write timeout is not a silent loss.
     */
    private void lost(Subscription subscription, int inFlight, Throwable cause) throws InterruptedException {
        int lost = inFlight;
        while (subscription.poll(Duration.ZERO) != null) {
            lost++;
        }
        if (lost == 0) {
            LOG.atDebug().log("sse client went away");
            return;
        }
        metrics.eventDropped();
        LOG.atWarn().addKeyValue("lost", lost).addKeyValue("cause", String.valueOf(cause.getMessage()))
                .log("sse client stopped receiving; stream closed with events undelivered");
    }

    /** A write of an event frame failed: that event is lost too. */
    private static final class EventWriteFailed extends IOException {
        private static final long serialVersionUID = 1L;

        EventWriteFailed(IOException cause) {
            super(cause);
        }
    }

    private static void write(OutputStream out, String frame) throws IOException {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void pump(OutputStream out, Subscription subscription) throws InterruptedException, IOException {
        long lastWrite = System.nanoTime();
        while (!closing.get()) {
            VmEvent event = subscription.poll(POLL_SLICE);
            if (event != null) {
                try {
                    write(out, "event: " + event.type().name() + "\ndata: " + json.write(event) + "\n\n");
                } catch (IOException e) {
                    throw new EventWriteFailed(e);
                }
                lastWrite = System.nanoTime();
            } else if (subscription.isClosed()) {
                if (subscription.overflowed()) {
                    metrics.eventDropped();
                    LOG.atWarn().addKeyValue("capacity", EventBus.DEFAULT_CAPACITY)
                            .log("sse subscriber fell behind; stream closed");
                }
                return;
            } else if (System.nanoTime() - lastWrite >= KEEP_ALIVE.toNanos()) {
                write(out, ": keep-alive\n\n");
                lastWrite = System.nanoTime();
            }
        }
    }
}
