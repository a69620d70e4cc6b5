package io.volant.volar.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Pumps stdin to a console link until the user types the detach key (Ctrl-], byte 0x1d), stdin ends or the remote
 * side closes (api-and-cli.md §5.5 Chosen). The link delivers remote output on its own.
 */
public final class ConsoleSession {
    public static final int DETACH = 0x1d;

    /** Where typed bytes go; {@link #closed()} completes when the remote side ends the session. */
    public interface Link {
        void send(byte[] bytes) throws IOException;

        void close();

        CompletableFuture<Void> closed();

        /** @return why the remote side went away abnormally (volantd killed, network gone), or null after a clean close */
        default String lostReason() {
            return null;
        }
    }

    /** Why a session ended. */
    public enum End { DETACHED, INPUT_ENDED, REMOTE_CLOSED }

    private ConsoleSession() {}

    /**
     * Runs the session; blocks until it ends. stdin is read on a daemon thread because a blocked terminal read
     * cannot be interrupted when the remote side closes first.
     */
    public static End run(InputStream stdin, Link link) throws InterruptedException {
        CompletableFuture<End> done = new CompletableFuture<>();
        link.closed().whenComplete((v, e) -> done.complete(End.REMOTE_CLOSED));
        Thread pump = Thread.ofPlatform().daemon().name("volar-console-stdin").start(() -> {
            byte[] buf = new byte[4096];
            try {
                while (!done.isDone()) {
                    int n = stdin.read(buf);
                    if (n < 0) {
                        done.complete(End.INPUT_ENDED);
                        return;
                    }
                    int esc = indexOf(buf, n, DETACH);
                    if (esc >= 0) {
                        if (esc > 0) {
                            link.send(Arrays.copyOf(buf, esc));
                        }
                        done.complete(End.DETACHED);
                        return;
                    }
                    link.send(Arrays.copyOf(buf, n));
                }
            } catch (IOException e) {
                done.complete(End.REMOTE_CLOSED);
            }
        });
        try {
            End end = done.get();
            if (end != End.REMOTE_CLOSED) {
                link.close();
            }
            return end;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pump.interrupt();
        }
    }

    private static int indexOf(byte[] buf, int n, int b) {
        for (int i = 0; i < n; i++) {
            if ((buf[i] & 0xff) == b) {
                return i;
            }
        }
        return -1;
    }
}
