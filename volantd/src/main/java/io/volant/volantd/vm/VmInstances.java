package io.volant.volantd.vm;

import io.volant.volantd.events.EventType;
import io.volant.volantd.hypervisor.ExitResult;
import io.volant.volantd.store.VmRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs' live instances (one handle per VM the engine runs) and their ends: an exit is recorded under the VM's
 * lock (clean → {@code stopped}, else {@code crashed}) and its deployment told; graceful shutdown stops them all in
 * parallel; {@link #halt} forgets them as if the process died.
 */
final class VmInstances {
    private static final Logger log = LoggerFactory.getLogger(VmInstances.class);

    private final VmParts parts;
    private final ConcurrentHashMap<String, VmRuntime.Handle> handles = new ConcurrentHashMap<>();
    private final ExecutorService exitExecutor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("vm-exit-", 0).factory());
    private volatile MemberListener listener = MemberListener.NONE;
    private volatile boolean halted;

    VmInstances(VmParts parts) {
        this.parts = parts;
    }

    void setListener(MemberListener l) {
        this.listener = l;
    }

    /** Tells the deployment controller that a member of {@code group} changed (no-op for standalone VMs). */
    void memberChanged(String group) {
        if (group != null) {
            listener.memberChanged(group);
        }
    }

    VmRuntime.Handle get(String name) {
        return handles.get(name);
    }

    boolean has(String name) {
        return handles.containsKey(name);
    }

    VmRuntime.Handle remove(String name) {
        return handles.remove(name);
    }

    void remove(String name, VmRuntime.Handle h) {
        handles.remove(name, h);
    }

    /** Names with a handle, sorted. */
    List<String> names() {
        return handles.keySet().stream().sorted().toList();
    }

    /** True when the engine holds a live instance for the VM. */
    boolean isLive(String name) {
        VmRuntime.Handle h = handles.get(name);
        return h != null && !h.instance().exit().isDone();
    }

    /** Keeps {@code h} and handles its exit when it comes. */
    void register(String name, VmRuntime.Handle h) {
        handles.put(name, h);
        h.instance().exit().whenComplete((r, t) -> {
            if (!halted) {
                try {
                    exitExecutor.execute(() -> onExit(name, h, r == null ? ExitResult.unknown() : r));
                } catch (RejectedExecutionException ignored) {
                    // shutting down
                }
            }
        });
    }

    private void onExit(String name, VmRuntime.Handle h, ExitResult r) {
        String group = null;
        try (NamedLocks.Held _ = parts.locks().lock(name)) {
            if (halted || !handles.remove(name, h)) {
                return; // stopped, destroyed or replaced on purpose
            }
            parts.runtime().stopAndRelease(name, h, Duration.ZERO);
            parts.runtime().removeSeed(name, "");
            String status = r.crashed() ? "crashed" : "stopped";
            Optional<VmRow> row = markEnded(name, status);
            if (row.isEmpty()) {
                return;
            }
            group = row.get().groupName();
            if (r.crashed()) {
                parts.events().publish(EventType.VM_CRASHED, row.get(), "crashed", null, r.message());
            } else {
                parts.events().publish(EventType.VM_STOPPED, row.get(), "stopped", null, "vm exited cleanly");
            }
            log.info("vm exited vm={} status={} reason={}", name, status, r.message());
        } catch (RuntimeException e) {
            log.error("vm exit handling failed vm={} error={}", name, e.getMessage());
        }
        memberChanged(group);
    }

    private Optional<VmRow> markEnded(String name, String status) {
        return parts.store().write(tx -> {
            Optional<VmRow> x = tx.vms().getByName(name);
            if (x.isPresent()) {
                tx.vms().updateRuntimeState(x.get().id(), status, null);
            }
            return x;
        });
    }

    /** Graceful shutdown (§2.10 item 8): every instance stopped in parallel, rows {@code stopped}, events. */
    void shutdown(boolean leaveRunning) {
        List<String> names = new ArrayList<>(handles.keySet());
        if (leaveRunning) {
            handles.clear();
        } else {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (String n : names) {
                    pool.execute(() -> shutdownOne(n));
                }
            }
        }
        halted = true;
        exitExecutor.shutdown();
    }

    private void shutdownOne(String name) {
        try (NamedLocks.Held _ = parts.locks().lock(name)) {
            VmRuntime.Handle h = handles.remove(name);
            if (h == null) {
                return;
            }
            parts.runtime().stopAndRelease(name, h, parts.cfg().stopGrace());
            parts.runtime().removeSeed(name, "");
            markEnded(name, "stopped").ifPresent(r -> parts.events().publish(EventType.VM_STOPPED, r, "stopped", null,
                    "volantd shutdown"));
        } catch (RuntimeException e) {
            log.error("vm shutdown failed vm={} error={}", name, e.getMessage());
        }
    }

    /** Stops all bookkeeping at once without touching anything, as if the process died (tests of recovery). */
    void halt() {
        halted = true;
        handles.clear();
        exitExecutor.shutdownNow();
    }
}
