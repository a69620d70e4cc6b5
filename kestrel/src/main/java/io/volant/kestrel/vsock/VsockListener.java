package io.volant.kestrel.vsock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * An AF_VSOCK stream listener through the JDK's Foreign Function &amp; Memory API (libc {@code socket}, {@code bind},
 * {@code listen}, {@code accept4}, {@code read}, {@code write}, {@code shutdown}, {@code close}); the JDK has no
 * AF_VSOCK. The only class in kestrel with native calls. Linux x86-64/aarch64 only; {@link #open} fails with a
 * clear {@link IOException} where the kernel lacks vsock, and kestrel then runs without it (§2.8: "a vsock listen
 * failure is logged and ignored"). Run the JVM with {@code --enable-native-access=ALL-UNNAMED} to avoid the JDK's
 * restricted-method warning.
 */
@SuppressWarnings("restricted") // native calls are this class's purpose; the launcher enables native access
public final class VsockListener implements StreamListener {
    static final int AF_VSOCK = 40;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOCK_NONBLOCK = 0x800;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final short POLLIN = 1;
    /** How often a waiting {@link #accept()} notices {@link #close()}. */
    static final int POLL_MILLIS = 200;
    static final int VMADDR_CID_ANY = -1;
    /** Lets the kernel pick a port (tests). */
    public static final int VMADDR_PORT_ANY = -1;
    static final int SHUT_WR = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle BIND = fn("bind", FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, INT));
    private static final MethodHandle LISTEN = fn("listen", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle ACCEPT4 = fn("accept4",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, INT));
    private static final MethodHandle GETSOCKNAME = fn("getsockname",
            FunctionDescriptor.of(INT, INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle POLL = fn("poll", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, LONG, INT));
    private static final MethodHandle READ = fn("read", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG));
    private static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(LONG, INT, ValueLayout.ADDRESS, LONG));
    private static final MethodHandle SHUTDOWN = fn("shutdown", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, INT));

    private final int fd;
    private final int port;
    private volatile boolean closed;
    private int accepting;
    private boolean released;

    private VsockListener(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, CAPTURE);
    }

    /**
     * Listens on AF_VSOCK {@code (VMADDR_CID_ANY, port)}.
     *
     * @throws IOException naming the failing call and errno text, e.g. when the kernel has no vsock support
     */
    public static VsockListener open(int port) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            // Non-blocking: accept() waits in poll(2) so close() can end it (shutdown(2) does not wake a vsock
            // listener and close(2) never wakes a blocked accept(2)).
            int fd = (int) SOCKET.invokeExact(state, AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            check(fd, state, "socket(AF_VSOCK)");
            try {
                MemorySegment addr = sockaddrVm(arena, port);
                check((int) BIND.invokeExact(state, fd, addr, (int) addr.byteSize()), state,
                        "bind(vsock port " + Integer.toUnsignedString(port) + ")");
                check((int) LISTEN.invokeExact(state, fd, 128), state, "listen(vsock)");
                MemorySegment len = arena.allocate(INT);
                len.set(INT, 0, (int) addr.byteSize());
                check((int) GETSOCKNAME.invokeExact(state, fd, addr, len), state, "getsockname(vsock)");
                return new VsockListener(fd, addr.get(INT, 4));
            } catch (IOException | RuntimeException | Error e) {
                int ignored = (int) CLOSE.invokeExact(state, fd);
                throw e;
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock: native call failed: " + t, t);
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

    private static void check(int rc, MemorySegment state, String call) throws IOException {
        if (rc < 0) {
            throw new IOException(call + " failed: " + strerror((int) ERRNO.get(state, 0L)));
        }
    }

    private static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
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
            MemorySegment state = arena.allocate(ERRNO_STATE);
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            while (!closed) {
                int ready = (int) POLL.invokeExact(state, pollfd, 1L, POLL_MILLIS);
                if (ready < 0 && (int) ERRNO.get(state, 0L) != EINTR) {
                    check(ready, state, "poll(vsock)");
                }
                if (ready <= 0 || closed) {
                    continue;
                }
                int c = (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (c >= 0) {
                    return new FdConnection(c);
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno != EAGAIN && errno != EINTR) {
                    check(c, state, "accept4(vsock)");
                }
            }
            throw new IOException("vsock listener closed");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock: native call failed: " + t, t);
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            // Nothing more to release.
        }
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
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment state = arena.allocate(ERRNO_STATE);
                        MemorySegment buf = arena.allocate(len);
                        long n = (long) READ.invokeExact(state, fd, buf, (long) len);
                        if (n < 0) {
                            check(-1, state, "read(vsock)");
                        }
                        if (n == 0) {
                            return -1;
                        }
                        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                        return (int) n;
                    } catch (IOException | RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IOException(t);
                    }
                }
            };
        }

        @Override
        public OutputStream out() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment state = arena.allocate(ERRNO_STATE);
                        MemorySegment buf = arena.allocate(Math.max(len, 1));
                        MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
                        long done = 0;
                        while (done < len) {
                            long n = (long) WRITE.invokeExact(state, fd, buf.asSlice(done), len - done);
                            if (n < 0) {
                                check(-1, state, "write(vsock)");
                            }
                            done += n;
                        }
                    } catch (IOException | RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IOException(t);
                    }
                }
            };
        }

        @Override
        public void shutdownOutput() throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(ERRNO_STATE);
                check((int) SHUTDOWN.invokeExact(state, fd, SHUT_WR), state, "shutdown(vsock, SHUT_WR)");
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException(t);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(ERRNO_STATE);
                int ignored = (int) CLOSE.invokeExact(state, fd);
            } catch (Throwable t) {
                // Nothing more to release.
            }
        }
    }
}
