package io.volant.kestrel.testing;

import io.volant.kestrel.identity.IdentityPort;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * In-memory {@link IdentityPort} twin: the host's lines are queued with {@link #hostSends}, the guest's lines are
 * collected in {@link #written()}. {@link #hostConnected} models the host end; while it is false reads return 0 and
 * writes are dropped, as QEMU does. {@link #onWrite} plays the host's answers (e.g. to time requests).
 */
public final class InMemoryIdentityPort implements IdentityPort {
    private final LinkedBlockingQueue<byte[]> fromHost = new LinkedBlockingQueue<>();
    private final List<String> written = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    public volatile boolean hostConnected = true;
    /** False models a virtio console: the guest cannot see whether the host listens. */
    public volatile boolean hostVisible = true;
    private byte[] pending = new byte[0];
    /** Called with each line the guest wrote while the host end was connected, after it was recorded. */
    public volatile Consumer<String> onWrite = line -> {};

    /** Queues raw bytes from the host (include the newline). */
    public InMemoryIdentityPort hostSends(String raw) {
        fromHost.add(raw.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public synchronized List<String> written() {
        return List.copyOf(written);
    }

    public synchronized List<String> dropped() {
        return List.copyOf(dropped);
    }

    private boolean awaitingHost;

    /** Connects the host end and wakes {@link #awaitHost()}. */
    public synchronized void connectHost() {
        hostConnected = true;
        notifyAll();
    }

    /** Whether a caller is blocked in {@link #awaitHost()}. */
    public synchronized boolean awaitingHost() {
        return awaitingHost;
    }

    @Override
    public synchronized void awaitHost() throws InterruptedException {
        awaitingHost = true;
        try {
            while (!hostConnected) {
                wait();
            }
        } finally {
            awaitingHost = false;
        }
    }

    @Override
    public boolean hostVisible() {
        return hostVisible;
    }

    @Override
    public void writeLine(String line) {
        boolean connected;
        synchronized (this) {
            connected = hostConnected;
            (connected ? written : dropped).add(line);
        }
        if (connected) {
            onWrite.accept(line);
        }
    }

    @Override
    public boolean readable(Duration wait) throws InterruptedException {
        if (!hostConnected || pending.length > 0) {
            return true;
        }
        byte[] next = fromHost.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            return false;
        }
        pending = next;
        return true;
    }

    @Override
    public int read(byte[] buf) throws java.io.IOException {
        if (!hostConnected) {
            return 0;
        }
        if (pending.length == 0) {
            try {
                pending = fromHost.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("read interrupted");
            }
        }
        int n = Math.min(buf.length, pending.length);
        System.arraycopy(pending, 0, buf, 0, n);
        pending = java.util.Arrays.copyOfRange(pending, n, pending.length);
        return n;
    }

    @Override
    public void close() {}
}
