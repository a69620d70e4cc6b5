package io.volant.kestrel.vsock;

import io.volant.kestrel.sys.FdStreams;
import io.volant.kestrel.sys.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An AF_VSOCK stream listener through libc ({@code socket}, {@code bind}, {@code listen}, {@code accept4},
 * {@code shutdown}; {@link Libc} and {@link FdStreams} for the rest); the JDK has no AF_VSOCK. Linux x86-64/aarch64
 * only; {@link #open} fails with a clear {@link IOException} where the kernel lacks vsock, and kestrel then runs
 * without it (§2.8: "a vsock listen failure is logged and ignored").
 */
public final class VsockListener implements StreamListener {
    static final int AF_VSOCK = 40;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOCK_NONBLOCK = 0x800;
    /** How often a waiting {@link #accept()} notices {@link #close()}. */
    static final int POLL_MILLIS = 200;
    static final int VMADDR_CID_ANY = -1;
    /** Lets the kernel pick a port (tests). */
    public static final int VMADDR_PORT_ANY = -1;
    static final int SHUT_WR = 1;

    private static final ValueLayout.OfInt INT = Libc.INT;
    private static final MethodHandle SOCKET = Libc.fn("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = Libc.fn("bind",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle LISTEN = Libc.fn("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT4 = Libc.fn("accept4",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, INT));
    private static final MethodHandle GETSOCKNAME = Libc.fn("getsockname",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle SHUTDOWN = Libc.fn("shutdown", FunctionDescriptor.of(INT, INT, INT));

    private final int fd;
    private final int port;
    private volatile boolean closed;
    private int accepting;
    private boolean released;

    private VsockListener(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /**
     * Links this class's libc calls (class initialisation) and makes one {@code socket(AF_VSOCK)} call, closed at
     * once; without vsock support it fails, harmlessly. A template does this so its clones, which start the listener
     * right when their workload turns healthy, do not spin the call's classes then, on their only vCPU.
     */
    public static void prepare() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int fd = (int) SOCKET.invokeExact(state, AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            if (fd >= 0) {
                Libc.close(fd);
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t, "vsock");
        }
    }

    /**
     * Listens on AF_VSOCK {@code (VMADDR_CID_ANY, port)}.
     *
     * @throws IOException naming the failing call and errno text, e.g. when the kernel has no vsock support
     */
    public static VsockListener open(int port) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            // Non-blocking: accept() waits in poll(2) so close() can end it (shutdown(2) does not wake a vsock
            // listener and close(2) never wakes a blocked accept(2)).
            int fd = (int) SOCKET.invokeExact(state, AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            Libc.check(fd, state, "socket(AF_VSOCK)");
            try {
                MemorySegment addr = sockaddrVm(arena, port);
                Libc.check((int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize()), state,
                        "bind(vsock port " + Integer.toUnsignedString(port) + ")");
                Libc.check((int) LISTEN.invokeExact(state, fd, 128), state, "listen(vsock)");
                MemorySegment len = arena.allocate(INT);
                len.set(INT, 0, (int) addr.byteSize());
                Libc.check((int) GETSOCKNAME.invokeExact(state, fd, addr, len), state, "getsockname(vsock)");
                return new VsockListener(fd, addr.get(INT, 4));
            } catch (IOException | RuntimeException | Error e) {
                Libc.close(fd);
                throw e;
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t, "vsock");
        }
    }

    /** {@code struct sockaddr_vm}: u16 family, u16 reserved, u32 port, u32 cid, u8 flags, 3 zero bytes = 16 bytes. */
    static MemorySegment sockaddrVm(Arena arena, int port) {
        MemorySegment a = arena.allocate(16, 4);
        a.set(ValueLayout.JAVA_SHORT, 0, (short) AF_VSOCK);
        a.set(INT, 4, port);
        a.set(INT, 8, VMADDR_CID_ANY);
        return a;
    }

    /** The bound port (the kernel's choice with {@link #VMADDR_PORT_ANY}). */
    public int port() {
        return port;
    }

    @Override
    public String describe() {
        return "vsock:" + Integer.toUnsignedString(port);
    }

    @Override
    public Connection accept() throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("vsock listener closed");
            }
            accepting++;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            while (!closed) {
                short ready = Libc.poll(fd, Libc.POLLIN, POLL_MILLIS);
                if (ready == 0 || closed) {
                    continue;
                }
                int c = (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (c >= 0) {
                    return new FdConnection(c);
                }
                int errno = Libc.errno(state);
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    Libc.check(c, state, "accept4(vsock)");
                }
            }
            throw new IOException("vsock listener closed");
        } catch (Throwable t) {
            throw Libc.rethrow(t, "vsock");
        } finally {
            synchronized (this) {
                accepting--;
                if (closed && accepting == 0) {
                    release();
                }
            }
        }
    }

    /** Ends waiting {@link #accept()} calls within {@link #POLL_MILLIS}; the last one out releases the socket. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (accepting == 0) {
            release();
        }
    }

    /** Closes the descriptor once nobody can be using it, so a reused descriptor number is never touched. */
    private void release() {
        if (released) {
            return;
        }
        released = true;
        Libc.close(fd);
    }

    /** An accepted vsock connection: blocking {@code read(2)}/{@code write(2)} on its file descriptor. */
    private static final class FdConnection implements Connection {
        private final int fd;
        private volatile boolean closed;

        FdConnection(int fd) {
            this.fd = fd;
        }

        @Override
        public InputStream in() {
            return FdStreams.in(fd, "vsock");
        }

        @Override
        public OutputStream out() {
            return FdStreams.out(fd, "vsock");
        }

        @Override
        public void shutdownOutput() throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = Libc.callState(arena);
                Libc.check((int) SHUTDOWN.invokeExact(state, fd, SHUT_WR), state, "shutdown(vsock, SHUT_WR)");
            } catch (Throwable t) {
                throw Libc.rethrow(t, "vsock");
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Libc.close(fd);
        }
    }
}
