package io.volant.volantd.simulated;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.UnavailableException;
import io.volant.volantd.console.ConsoleAccess;
import io.volant.volantd.hypervisor.SimulatedLauncher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code simulated} backend's serial console (host-runtime.md §9.8 has no guest to talk to): a line that prints
 * {@code simulated console of <vm>} on attach and echoes every byte it receives, like a terminal with echo on, and
 * ends when the instance exits. It follows the real hub's rules (503 without a live instance, one session per VM,
 * 409 for a second), so clients such as {@code volar vms console} can be tested end to end without a hypervisor.
 */
final class SimulatedConsole implements ConsoleAccess {
    private final SimulatedLauncher launcher;
    private final Map<String, EchoSession> attached = new ConcurrentHashMap<>();

    SimulatedConsole(SimulatedLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Session attach(String vmName, Sink sink) {
        var exit = launcher.exitOf(vmName).orElseThrow(() -> new UnavailableException("serial socket unavailable"));
        EchoSession session = new EchoSession(vmName, sink);
        if (attached.putIfAbsent(vmName, session) != null) {
            throw new ConflictException("console already attached");
        }
        sink.output(ByteBuffer.wrap(("simulated console of " + vmName + "\r\n").getBytes(StandardCharsets.UTF_8)));
        exit.whenComplete((result, error) -> session.end());
        return session;
    }

    private final class EchoSession implements Session {
        private final String vm;
        private final Sink sink;
        private final AtomicBoolean done = new AtomicBoolean();

        EchoSession(String vm, Sink sink) {
            this.vm = vm;
            this.sink = sink;
        }

        @Override
        public void input(ByteBuffer bytes) {
            if (!done.get()) {
                sink.output(bytes);
            }
        }

        /** The client detached. */
        @Override
        public void close() {
            if (done.compareAndSet(false, true)) {
                attached.remove(vm, this);
            }
        }

        /** The instance exited: the WebSocket closes with 1000. */
        void end() {
            if (done.compareAndSet(false, true)) {
                attached.remove(vm, this);
                sink.ended();
            }
        }
    }
}
