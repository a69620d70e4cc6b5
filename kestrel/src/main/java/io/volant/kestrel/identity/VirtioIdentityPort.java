package io.volant.kestrel.identity;

import io.volant.kestrel.sys.FdStreams;
import io.volant.kestrel.sys.Libc;
import io.volant.kestrel.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The identity channel through libc. Two kinds: the named virtio-serial port (QEMU), whose host connection state
 * only {@code poll(2)} shows ({@code POLLHUP} while no host end is connected), found by its name in
 * {@code /sys/class/virtio-ports/*}/name (without udev there is no {@code /dev/virtio-ports/<name>} link, only the
 * {@code /dev/vportNpM} node); and the virtio console {@code /dev/hvc0} (Cloud Hypervisor has no named ports), a
 * tty put into raw mode, whose host side is invisible to the guest ({@link #hostVisible()} false).
 */
@SuppressWarnings("restricted") // termios calls; the launcher enables native access
public final class VirtioIdentityPort implements IdentityPort {
    /** The port name both ends agree on. */
    public static final String NAME = "io.volant.identity";
    static final Duration HOST_POLL = Duration.ofMillis(100);
    static final int O_NOCTTY = 0x100;
    static final int TCSANOW = 0;
    private static final MethodHandle TCGETATTR = Libc.fn("tcgetattr",
            FunctionDescriptor.of(Libc.INT, Libc.INT, ValueLayout.ADDRESS));
    private static final MethodHandle TCSETATTR = Libc.fn("tcsetattr",
            FunctionDescriptor.of(Libc.INT, Libc.INT, Libc.INT, ValueLayout.ADDRESS));
    private static final MethodHandle CFMAKERAW = Libc.fn("cfmakeraw",
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private final int fd;
    private final boolean console;
    private final InputStream in;
    private final OutputStream out;
    private final Clock clock;
    private boolean closed;

    private VirtioIdentityPort(int fd, boolean console, Clock clock) {
        this.fd = fd;
        this.console = console;
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

    /** Opens the named port {@code device} read-write (a port has one opener at a time). */
    public static VirtioIdentityPort open(Path device, Clock clock) throws IOException {
        return new VirtioIdentityPort(Libc.open(device.toString(), Libc.O_RDWR | Libc.O_CLOEXEC), false, clock);
    }

    /**
     * Opens the virtio console {@code device} (e.g. {@code /dev/hvc0}) read-write, not as the controlling tty, in raw
     * mode (no echo, no line editing, no CR/LF translation: the protocol's bytes pass unchanged).
     */
    public static VirtioIdentityPort openConsole(Path device, Clock clock) throws IOException {
        int fd = Libc.open(device.toString(), Libc.O_RDWR | Libc.O_CLOEXEC | O_NOCTTY);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment termios = arena.allocate(256, 8); // struct termios is 60 bytes on glibc x86-64
            Libc.check((int) TCGETATTR.invokeExact(state, fd, termios), state, "tcgetattr(" + device + ")");
            CFMAKERAW.invokeExact(state, termios);
            Libc.check((int) TCSETATTR.invokeExact(state, fd, TCSANOW, termios), state, "tcsetattr(" + device + ")");
            return new VirtioIdentityPort(fd, true, clock);
        } catch (Throwable t) {
            Libc.close(fd);
            throw Libc.rethrow(t, NAME);
        }
    }

    @Override
    public boolean hostVisible() {
        return !console;
    }

    @Override
    public void awaitHost() throws IOException, InterruptedException {
        if (console) {
            return; // a tty shows nothing of the host side
        }
        // POLLHUP is reported at once while the host is away, so poll(2) never blocks here: sleep between checks.
        while ((Libc.poll(fd, Libc.POLLOUT, 0) & Libc.POLLHUP) != 0) {
            clock.sleep(HOST_POLL);
        }
    }

    @Override
    public synchronized void writeLine(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean readable(Duration wait) throws IOException {
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, wait.toMillis()));
        return (Libc.poll(fd, Libc.POLLIN, ms) & (Libc.POLLIN | Libc.POLLHUP)) != 0;
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
