package io.volant.kestrel.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * kestrel's one way to call libc through the Foreign Function &amp; Memory API: downcall handles that capture
 * {@code errno}, the error check that names the call, and the few calls more than one class needs ({@code open},
 * {@code poll}, {@code close}). The JDK has no AF_VSOCK, no ioctl and no {@code clock_settime}; everything else
 * stays plain Java. Linux x86-64/aarch64 only. Run the JVM with {@code --enable-native-access=ALL-UNNAMED}.
 */
@SuppressWarnings("restricted") // native calls are this class's purpose; the launcher enables native access
public final class Libc {
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLHUP = 0x10;
    public static final int O_RDWR = 0x2;
    public static final int O_CLOEXEC = 0x80000;
    /** Layout of the captured call state; allocate one per call site with {@link #callState(Arena)}. */
    public static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, INT));
    private static final MethodHandle OPEN = fn("open", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT, INT));
    private static final MethodHandle POLL = fn("poll", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, LONG, INT));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(INT, INT));

    private Libc() {}

    /**
     * A downcall handle for libc's {@code name} whose first argument is the call-state segment ({@code errno}).
     * Extra options (e.g. {@link Linker.Option#firstVariadicArg}) are added after the capture.
     */
    public static MethodHandle fn(String name, FunctionDescriptor d, Linker.Option... extra) {
        Linker.Option[] options = Arrays.copyOf(new Linker.Option[] {CAPTURE}, 1 + extra.length);
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, options);
    }

    public static MemorySegment callState(Arena arena) {
        return arena.allocate(ERRNO_STATE);
    }

    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** Throws {@code "<call> failed: <strerror> (errno N)"} when {@code rc} is negative. */
    public static void check(long rc, MemorySegment state, String call) throws IOException {
        if (rc < 0) {
            throw new IOException(call + " failed: " + strerror(errno(state)));
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Rethrows checked and unchecked failures of a native call as they are; wraps the rest of {@link Throwable}. */
    public static IOException rethrow(Throwable t, String what) throws IOException {
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(what + ": native call failed: " + t, t);
    }

    /** {@code open(path, flags)}; the descriptor. */
    public static int open(String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = callState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            check(fd, state, "open(" + path + ")");
            return fd;
        } catch (Throwable t) {
            throw rethrow(t, "open");
        }
    }

    /**
     * {@code poll(2)} on one descriptor: the returned events ({@code revents}), 0 on timeout or {@code EINTR}.
     */
    public static short poll(int fd, short events, int timeoutMillis) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = callState(arena);
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, events);
            int ready = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            if (ready < 0 && errno(state) != EINTR) {
                check(ready, state, "poll");
            }
            return ready <= 0 ? 0 : pollfd.get(ValueLayout.JAVA_SHORT, 6);
        } catch (Throwable t) {
            throw rethrow(t, "poll");
        }
    }

    /** {@code close(fd)}, errors ignored: there is nothing more to release. */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(callState(arena), fd);
        } catch (Throwable t) {
            // Nothing more to release.
        }
    }
}
