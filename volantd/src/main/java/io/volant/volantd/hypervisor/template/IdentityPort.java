package io.volant.volantd.hypervisor.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.process.SocketConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The host end of the identity channel (docs/templates.md): the Unix socket behind the guest's virtio-serial port
 * {@code io.volant.identity}. Messages are newline-delimited JSON objects of at most {@link #MAX_LINE} bytes; a
 * longer or garbled line is dropped and reading goes on. Once the identity is sent, the reader answers each
 * {@code time_request} at once with the host's clock (the guest's clock exchange) until {@code applied} or
 * {@code failed} arrives; those requests are not queued for {@link #await}.
 */
public final class IdentityPort implements AutoCloseable {
    public static final int MAX_LINE = 64 * 1024;
    public static final int ENTROPY_BYTES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode EOF = JSON.createObjectNode().put("type", "eof");

    private final SocketChannel channel;
    private final OutputStream out;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    /** The clock that answers time requests: set by {@link #sendIdentity}, cleared by the guest's final answer. */
    private volatile Clock timeSource;

    private IdentityPort(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(channel));
        Thread.ofVirtual().name("identity-reader").start(() -> readLoop(in));
    }

    /** Connects to {@code socket}, retrying until {@code timeout} or until {@code gone} is true. */
    public static IdentityPort connect(Path socket, Duration timeout, BooleanSupplier gone) {
        return SocketConnector.connect("identity port", socket, timeout, gone, IdentityPort::new);
    }

    /**
     * Waits up to {@code timeout} for a message whose {@code type} is one of {@code types}; other messages are
     * skipped. Returns empty on timeout or when the guest side closed.
     */
    public java.util.Optional<JsonNode> await(Set<String> types, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (m == null || m == EOF) {
                    if (m == EOF) {
                        received.add(EOF); // later waits see the close too
                    }
                    return java.util.Optional.empty();
                }
                if (types.contains(m.path("type").asText(""))) {
                    return java.util.Optional.of(m);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Sends the identity message: the host wall clock of {@code clock} and 64 fresh random bytes are added here. */
    public void sendIdentity(Identity id, Clock clock, SecureRandom random) {
        timeSource = clock;
        byte[] entropy = new byte[ENTROPY_BYTES];
        random.nextBytes(entropy);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "identity");
        m.put("cmdline", id.cmdline());
        m.put("mac", id.mac());
        m.put("hostname", id.hostname());
        m.put("time_unix_ms", clock.millis());
        m.put("entropy", Base64.getEncoder().encodeToString(entropy));
        send(m);
    }

    /** Writes one message (one line); the reader thread writes time answers concurrently. */
    public synchronized void send(Map<String, Object> message) {
        try {
            byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
            if (line.length > MAX_LINE) {
                throw new HypervisorException("identity message is " + line.length + " bytes, limit " + MAX_LINE);
            }
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new HypervisorException("identity port: send: " + e.getMessage(), e);
        }
    }

    private void readLoop(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean oversized = false;
        try {
            for (int b; (b = in.read()) != -1; ) {
                if (b != '\n') {
                    if (line.size() < MAX_LINE) {
                        line.write(b);
                    } else {
                        oversized = true;
                    }
                    continue;
                }
                if (!oversized) {
                    parse(line.toByteArray());
                }
                line.reset();
                oversized = false;
            }
        } catch (IOException ignored) {
            // closed by us or by QEMU
        } finally {
            received.add(EOF);
        }
    }

    private void parse(byte[] raw) {
        try {
            JsonNode n = JSON.readTree(raw);
            if (n == null || !n.isObject()) {
                return;
            }
            String type = n.path("type").asText("");
            Clock clock = timeSource;
            if (type.equals("time_request")) {
                if (clock != null && n.path("seq").canConvertToExactIntegral()) {
                    answerTime(n.path("seq").asLong(), clock);
                }
                return;
            }
            if (type.equals("applied") || type.equals("failed")) {
                timeSource = null;
            }
            received.add(n);
        } catch (IOException ignored) {
            // a garbled line is dropped; the next good one counts
        }
    }

    /** Answers time request {@code seq} with {@code clock} read as late as possible, just before the write. */
    private void answerTime(long seq, Clock clock) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "time");
        m.put("seq", seq);
        try {
            synchronized (this) {
                m.put("time_unix_ms", clock.millis());
                send(m);
            }
        } catch (HypervisorException e) {
            // the guest is gone or closed the port; the caller's wait for applied reports it
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
