package io.volant.volantd.hypervisor.process;

import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Connects to a Unix socket a hypervisor process creates once it has started (QMP, the identity port), retrying
 * every {@link #RETRY} until a deadline or until the process is gone. Why 10 ms: a clone's start waits on two of
 * these; the socket appears within tens of milliseconds and every retry interval is added, half on average, to it.
 */
public final class SocketConnector {
    static final Duration RETRY = Duration.ofMillis(10);

    /** What to do with a connected channel; an {@link IOException} closes it and counts as a failed attempt. */
    @FunctionalInterface
    public interface Handshake<T> {
        T open(SocketChannel channel) throws IOException;
    }

    private SocketConnector() {}

    /**
     * The result of {@code handshake} on the first connection that succeeds.
     *
     * @throws HypervisorException naming {@code what} and the last error when the deadline passed or {@code gone}
     */
    public static <T> T connect(String what, Path socket, Duration timeout, BooleanSupplier gone,
                                Handshake<T> handshake) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline && !gone.getAsBoolean()) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                return handshake.open(ch);
            } catch (IOException e) {
                last = e;
                closeQuietly(ch);
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new HypervisorException(what + " " + socket + ": " + (last == null ? "process exited" : last.getMessage()));
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // already failed; the attempt's error is the one reported
            }
        }
    }
}
