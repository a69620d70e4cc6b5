package io.volant.volantd.network;

import java.util.List;
import java.util.Optional;

/**
 * Host ports forwarded to VMs (published ports, docs/publishing.md): the kernel's NAT table that volantd owns. The
 * whole set is replaced at once, so a change is applied completely or not at all. Thread-safe.
 */
public interface PortForwarding {

    /**
     * One published host port: new connections to {@code <hostPort>/<protocol>} on any local address go to
     * {@code <backend>:<port>}, one backend per connection in turn.
     *
     * @param backends IPv4 addresses, at least one, in a stable order
     * @param owner    who published it ({@code vm <name>} / {@code deployment <name>}), for people reading the rules
     */
    record Forward(String protocol, int hostPort, List<String> backends, int port, String owner) {
        public Forward {
            backends = List.copyOf(backends);
            if (backends.isEmpty()) {
                throw new IllegalArgumentException("forward " + protocol + "/" + hostPort + " has no backend");
            }
        }

        /** {@code <protocol>/<host_port>}, the key no two publications may share. */
        public String key() {
            return protocol + "/" + hostPort;
        }
    }

    /**
     * Replaces every forward with {@code forwards} in one transaction (an empty list keeps an empty table).
     *
     * @throws NetworkException the transaction failed; the previous set is still in place
     */
    void replace(List<Forward> forwards);

    /** Removes volantd's table and everything in it; absent counts as removed. Failures are logged, not thrown. */
    void remove();

    /**
     * The process listening on {@code <protocol>/<port>} (in volantd's network namespace), e.g.
     * {@code python3 (pid 4242)}, or {@code "another process"} when the socket's owner cannot be named; empty
     * when the port is free.
     */
    Optional<String> listener(String protocol, int port);

    /** What {@link #replace} last installed successfully (empty before the first call or after {@link #remove}). */
    List<Forward> current();
}
