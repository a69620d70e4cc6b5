package io.volant.kestrel.identity;

import io.volant.kestrel.sys.FdStreams;
import io.volant.kestrel.sys.Libc;
import io.volant.kestrel.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The virtio-serial port through libc, because the host's connection state is only visible to {@code poll(2)}
 * ({@code POLLHUP} while no host end is connected). Found by its name in {@code /sys/class/virtio-ports/*}/name:
 * without udev there is no {@code /dev/virtio-ports/<name>} link, only the {@code /dev/vportNpM} node.
 */
public final class VirtioIdentityPort implements IdentityPort {
    /** The port name both ends agree on. */
    public static final String NAME = "io.volant.identity";
    static final Duration HOST_POLL = Duration.ofMillis(100);

    private final int fd;
    private final InputStream in;
    private final OutputStream out;
    private final Clock clock;
    private boolean closed;

    private VirtioIdentityPort(int fd, Clock clock) {
        this.fd = fd;
        this.in = FdStreams.in(fd, NAME);
        this.out = FdStreams.out(fd, NAME);
        this.clock = clock;
    }

    /** The device node of the port called {@code name}, if the kernel has created it. */
    public static Optional<Path> find(Path sysClass, Path dev, String name) throws IOException {
        if (!Files.isDirectory(sysClass)) {
            return Optional.empty();
        }
        try (Stream<Path> ports = Files.list(sysClass)) {
            for (Path p : ports.sorted().toList()) {
                Path n = p.resolve("name");
                if (Files.isReadable(n) && Files.readString(n, StandardCharsets.UTF_8).strip().equals(name)) {
                    return Optional.of(dev.resolve(p.getFileName().toString()));
                }
            }
        }
        return Optional.empty();
    }

    /** Opens {@code device} read-write (a port has one opener at a time). */
    public static VirtioIdentityPort open(Path device, Clock clock) throws IOException {
        return new VirtioIdentityPort(Libc.open(device.toString(), Libc.O_RDWR | Libc.O_CLOEXEC), clock);
    }

    @Override
    public void awaitHost() throws IOException, InterruptedException {
        // POLLHUP is reported at once while the host is away, so poll(2) never blocks here: sleep between checks.
        while ((Libc.poll(fd, Libc.POLLOUT, 0) & Libc.POLLHUP) != 0) {
            clock.sleep(HOST_POLL);
        }
    }

    @Override
    public void writeLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int read(byte[] buf) throws IOException {
        return Math.max(in.read(buf, 0, buf.length), 0); // read(2) gives 0 while the host end is not connected
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
