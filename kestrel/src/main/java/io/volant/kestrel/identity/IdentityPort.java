package io.volant.kestrel.identity;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * The guest end of the {@code io.volant.identity} virtio-serial port: one external effect,
 * {@link VirtioIdentityPort} for real, an in-memory twin in tests. Bytes written while the host end is not connected
 * are lost (QEMU drops them), hence {@link #awaitHost()}.
 */
public interface IdentityPort extends Closeable {
    /** Blocks until the host end is connected; returns at once where that cannot be seen ({@link #hostVisible}). */
    void awaitHost() throws IOException, InterruptedException;

    /**
     * Whether {@link #awaitHost()} really sees the host end (a named virtio-serial port). Where it does not (a virtio
     * console), {@code warm} is repeated until the host's first line arrives, since a write before the host listens
     * may be lost; the host skips repeated {@code warm} lines.
     */
    default boolean hostVisible() {
        return true;
    }

    /** Writes {@code line} and a newline in one write; safe to call from two threads. */
    void writeLine(String line) throws IOException;

    /**
     * Reads up to {@code buf.length} bytes: blocks while the host is connected and has sent nothing; returns 0 at
     * once while the host end is not connected (the caller waits and reads again).
     */
    int read(byte[] buf) throws IOException;

    /**
     * Waits up to {@code wait} for bytes to read; true when {@link #read} will not block (bytes arrived, or the host
     * end is not connected and it returns 0).
     */
    boolean readable(Duration wait) throws IOException, InterruptedException;

    @Override
    void close();
}
