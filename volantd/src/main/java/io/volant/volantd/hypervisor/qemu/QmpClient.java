package io.volant.volantd.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.process.SocketConnector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A QMP connection for a VM's lifetime (host-runtime.md §9.4): greeting, {@code qmp_capabilities}, then one reader
 * thread that answers commands in order and remembers the last {@code SHUTDOWN} event's reason for the exit
 * classification. Thread-safe.
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final Deque<CompletableFuture<JsonNode>> pending = new ArrayDeque<>();
    private final CountDownLatch eof = new CountDownLatch(1);
    private volatile String lastShutdownReason;

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /**
     * Connects (retry every 100 ms until {@code timeout} or until {@code gone} says the process has exited), performs
     * the capabilities handshake and starts the reader.
     */
    public static QmpClient connect(Path socket, Duration timeout, BooleanSupplier gone) {
        return SocketConnector.connect("qemu: connect qmp", socket, timeout, gone, ch -> {
            QmpClient c = new QmpClient(ch);
            c.handshake();
            return c;
        });
    }

    private void handshake() throws IOException {
        String greeting = in.readLine();
        if (greeting == null || !greeting.contains("\"QMP\"")) {
            throw new IOException("unexpected qmp greeting: " + greeting);
        }
        out.write("{\"execute\":\"qmp_capabilities\"}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("qmp closed during handshake");
            }
            JsonNode n = JSON.readTree(line);
            if (n.has("return")) {
                break;
            }
            if (n.has("error")) {
                throw new IOException("qmp_capabilities failed: " + n.get("error"));
            }
        }
        Thread.ofVirtual().name("qmp-reader").start(this::readLoop);
    }

    private void readLoop() {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a garbled line must not end supervision
                }
                if (n.has("event")) {
                    if ("SHUTDOWN".equals(n.path("event").asText())) {
                        lastShutdownReason = n.path("data").path("reason").asText("");
                    }
                } else if (n.has("return") || n.has("error")) {
                    CompletableFuture<JsonNode> f;
                    synchronized (pending) {
                        f = pending.pollFirst();
                    }
                    if (f != null) {
                        f.complete(n);
                    }
                }
            }
        } catch (IOException ignored) {
            // the socket closes when QEMU exits
        } finally {
            eof.countDown();
            synchronized (pending) {
                pending.forEach(f -> f.completeExceptionally(new IOException("qmp closed")));
                pending.clear();
            }
        }
    }

    /** Sends {@code {"execute":<command>}} and waits up to {@code timeout} for its answer. */
    public JsonNode execute(String command, Duration timeout) {
        return execute(command, null, timeout);
    }

    /**
     * Sends {@code {"execute":<command>,"arguments":<arguments>}} (no arguments when null) and waits up to
     * {@code timeout} for its answer.
     *
     * @throws HypervisorException on a QMP error answer, a timeout or a closed connection
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        try {
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("execute", command);
            if (arguments != null) {
                msg.put("arguments", arguments);
            }
            byte[] line = (JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (pending) {
                pending.addLast(f);
                out.write(line);
                out.flush();
            }
            JsonNode r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.has("error")) {
                throw new HypervisorException("qmp " + command + ": " + r.get("error"));
            }
            return r;
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new HypervisorException("qmp " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("qmp " + command + ": interrupted", e);
        }
    }

    /** Waits until QEMU closed the connection (all events read), at most {@code timeout}. */
    public void awaitClosed(Duration timeout) {
        try {
            eof.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code reason} of the last {@code SHUTDOWN} event, null when none was seen. */
    public String lastShutdownReason() {
        return lastShutdownReason;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a dead socket
        }
    }
}
