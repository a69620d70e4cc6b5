package io.volant.volantd.agent;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sockets inside a named network namespace ({@code VOLANT_NETNS}, docs/operations.md §3.1) without a process per
 * connection: one platform thread enters the namespace with {@code setns(2)} (through the FFM API) and creates every
 * socket there; a socket keeps the namespace it was created in, so it is connected and used from any thread. The
 * thread is never handed other work, and virtual threads never run on it (they would inherit its namespace).
 * Needs CAP_SYS_ADMIN, as {@code ip netns exec} does.
 */
public final class NetnsSockets implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000; // O_RDONLY | O_CLOEXEC
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final String netns;
    private final ExecutorService inside;

    private NetnsSockets(String netns, ExecutorService inside) {
        this.netns = netns;
        this.inside = inside;
    }

    /**
     * Starts the thread and enters {@code /run/netns/<netns>} on it.
     *
     * @throws IOException naming the namespace and errno when it cannot be entered
     */
    public static NetnsSockets enter(String netns) throws IOException {
        if (netns.isBlank() || netns.contains("/")) {
            throw new IOException("invalid network namespace name \"" + netns + "\"");
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("netns-" + netns).factory());
        NetnsSockets sockets = new NetnsSockets(netns, thread);
        try {
            sockets.run(() -> {
                Native.setns(NETNS_DIR.resolve(netns));
                return null;
            });
        } catch (IOException | RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
        return sockets;
    }

    public String netns() {
        return netns;
    }

    /** A TCP connection to {@code address} from inside the namespace, within {@code connectTimeoutMs}. */
    public SocketChannel connect(InetSocketAddress address, int connectTimeoutMs) throws IOException {
        SocketChannel ch = run(SocketChannel::open);
        try {
            ch.socket().connect(address, connectTimeoutMs);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Runs {@code task} on the thread inside the namespace (sockets, listeners and the like it creates live there). */
    public <T> T run(Callable<T> task) throws IOException {
        Future<T> f = inside.submit(task);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while entering network namespace " + netns, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("network namespace " + netns + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        inside.shutdownNow();
    }

    /** {@code open}, {@code setns} and {@code close} of libc, errno captured. */
    private static final class Native {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final StructLayout STATE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
        private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));

        private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
            Linker.Option[] options = new Linker.Option[extra.length + 1];
            options[0] = Linker.Option.captureCallState("errno");
            System.arraycopy(extra, 0, options, 1, extra.length);
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
        }

        /** Moves the calling thread into the network namespace bound at {@code path}. */
        static void setns(Path path) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(STATE);
                int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), O_RDONLY_CLOEXEC, 0);
                if (fd < 0) {
                    throw new IOException("open " + path + ": errno " + (int) ERRNO.get(state, 0L));
                }
                try {
                    if ((int) SETNS.invokeExact(state, fd, CLONE_NEWNET) != 0) {
                        throw new IOException("setns " + path + ": errno " + (int) ERRNO.get(state, 0L));
                    }
                } finally {
                    int ignored = (int) CLOSE.invokeExact(state, fd);
                }
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("setns " + path + ": " + t, t);
            }
        }
    }
}
