package io.volant.volantd.console;

import io.volant.volantd.errors.UnavailableException;
import java.nio.ByteBuffer;

/**
 * Interactive serial console sessions (host-runtime.md §7.2): one session per VM, ring buffer replayed on
 * attach. The hub itself belongs to the host runtime; the API only bridges WebSocket frames to it.
 */
public interface ConsoleAccess {

    /**
     * Attaches the only interactive session of {@code vmName}.
     *
     * @throws io.volant.volantd.errors.VolantException 503 {@code serial socket unavailable} when the VM has no console, 409
     *                      {@code console already attached} when a session exists
     */
    Session attach(String vmName, Sink sink);

    /** Where console output goes; called from the hub's reader thread. */
    interface Sink {
        void output(ByteBuffer bytes);

        /** The console ended (VM stopped); the WebSocket closes with 1000. */
        void ended();
    }

    /** An attached session; {@link #close()} detaches without closing the hub's serial connection. */
    interface Session extends AutoCloseable {
        void input(ByteBuffer bytes);

        @Override
        void close();
    }

    /** No console hub wired (simulated backend, or no host runtime yet): every attach is a 503. */
    static ConsoleAccess unavailable() {
        return (vmName, sink) -> {
            throw new UnavailableException("serial socket unavailable");
        };
    }

    /** Sessions on the host's hub (host-runtime.md §7.2): WebSocket frames in, serial bytes out. */
    static ConsoleAccess of(ConsoleHub hub) {
        return (vm, sink) -> {
            ConsoleSession session = hub.attach(vm, bytes -> sink.output(ByteBuffer.wrap(bytes)), sink::ended);
            return new Session() {
                @Override
                public void input(ByteBuffer bytes) {
                    byte[] data = new byte[bytes.remaining()];
                    bytes.get(data);
                    session.write(data);
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        };
    }
}
