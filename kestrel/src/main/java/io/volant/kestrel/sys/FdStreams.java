package io.volant.kestrel.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Blocking {@code read(2)}/{@code write(2)} streams over a raw file descriptor the JDK cannot open itself (a vsock
 * connection, a virtio-serial port that must also be polled). Closing the streams does not close the descriptor.
 */
public final class FdStreams {
    private static final MethodHandle READ = Libc.fn("read",
            FunctionDescriptor.of(Libc.LONG, Libc.INT, ValueLayout.ADDRESS, Libc.LONG));
    private static final MethodHandle WRITE = Libc.fn("write",
            FunctionDescriptor.of(Libc.LONG, Libc.INT, ValueLayout.ADDRESS, Libc.LONG));

    private FdStreams() {}

    /** Reads of {@code fd}; {@code what} names it in errors (e.g. {@code vsock}). A 0-byte read is end of stream. */
    public static InputStream in(int fd, String what) {
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
                    MemorySegment state = Libc.callState(arena);
                    MemorySegment buf = arena.allocate(len);
                    long n = (long) READ.invokeExact(state, fd, buf, (long) len);
                    Libc.check(n, state, "read(" + what + ")");
                    if (n == 0) {
                        return -1;
                    }
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                    return (int) n;
                } catch (Throwable t) {
                    throw Libc.rethrow(t, what);
                }
            }
        };
    }

    /** Writes to {@code fd}, all of each buffer. */
    public static OutputStream out(int fd, String what) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment state = Libc.callState(arena);
                    MemorySegment buf = arena.allocate(Math.max(len, 1));
                    MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
                    long done = 0;
                    while (done < len) {
                        long n = (long) WRITE.invokeExact(state, fd, buf.asSlice(done), len - done);
                        Libc.check(n, state, "write(" + what + ")");
                        done += n;
                    }
                } catch (Throwable t) {
                    throw Libc.rethrow(t, what);
                }
            }
        };
    }
}
