package io.volant.volantd.agent;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.Optional;

/** A byte stream to one port of a VM's agent (host-runtime.md §7.3); every agent user speaks HTTP/1.1 over it. */
public interface AgentTransport {

    /**
     * Opens a fresh stream to {@code port} in the guest.
     *
     * @throws IOException when the guest cannot be reached (callers answer 502)
     */
    ByteChannel open(int port) throws IOException;

    /** Human-readable target for logs and errors ({@code 192.168.127.10:8080}, {@code vsock:/run/web.vsock}). */
    String describe();

    /** The host a plain socket from volantd's own namespace reaches the guest at; empty when only {@link #open} can. */
    default Optional<String> directHost() {
        return Optional.empty();
    }
}
