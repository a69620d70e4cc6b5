package io.volant.volantd.vm;

import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InternalException;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Suspend to disk and the checks before a resume (issue 13 item 4, docs/control-plane.md "Suspend and resume").
 * Callers hold the VM's lock. Order, for crash safety: the hypervisor writes the state and exits, the marker makes
 * the state complete, then the row becomes {@code suspended}; recovery repairs a crash between any two steps.
 */
final class VmSuspension {
    private static final Logger log = LoggerFactory.getLogger(VmSuspension.class);

    private final Store store;
    private final VmRuntime runtime;
    private final EventBus bus;
    private final Clock clock;

    VmSuspension(Store store, VmRuntime runtime, EventBus bus, Clock clock) {
        this.store = store;
        this.runtime = runtime;
        this.bus = bus;
        this.clock = clock;
    }

    /** 409 unless the row is {@code running}; {@code live} says whether the engine holds a live instance. */
    static void checkSuspendable(VmRow row, boolean live) {
        if (row.status().equals("suspended")) {
            throw new ConflictException("orchestrator: vm " + row.name() + " already suspended");
        }
        if (!live || !row.status().equals("running")) {
            throw new ConflictException("orchestrator: vm " + row.name() + " is not running (status " + row.status()
                    + ")");
        }
    }

    /**
     * Saves the VM's whole state and ends its hypervisor; tap, VFIO binding and Drift routes are released, the IP
     * lease, MAC and CID stay with the row. On failure the partial state is discarded and the VM keeps running
     * (unless the hypervisor died, which the exit handler records).
     *
     * @return the suspended row and the Drift route keys released
     */
    Suspended suspend(VmRow row, VmRuntime.Handle h) {
        String name = row.name();
        Path dir = runtime.states().prepare(name);
        try {
            h.instance().suspend(dir);
            runtime.states().complete(name, new SavedStates.Marker(runtime.launcher().backend(), clock.instant()));
        } catch (RuntimeException e) {
            runtime.states().discard(name);
            log.warn("vm suspend failed vm={} error={}", name, e.getMessage());
            throw new InternalException("orchestrator: suspend vm " + name + ": " + e.getMessage(), e);
        }
        List<String> released = runtime.stopAndRelease(name, h, Duration.ZERO); // exited: only releases
        runtime.removeSeed(name, "");
        VmRow suspended = store.write(tx -> {
            tx.vms().updateState(row.id(), "suspended", null, "stopped");
            return tx.vms().getById(row.id()).orElseThrow();
        });
        VmRecovery.publish(bus, clock, EventType.VM_SUSPENDED, suspended, "suspended", null, "vm suspended");
        log.info("vm suspended vm={} state_dir={}", name, dir);
        return new Suspended(suspended, released);
    }

    record Suspended(VmRow row, List<String> releasedRoutes) {}

    /**
     * The state directory to resume {@code row} from. 409 when the row is not suspended; when the state is gone or
     * was written by another backend the row becomes {@code stopped} (a start boots it afresh), the state is
     * discarded, and the 409 says so.
     */
    Path stateFor(VmRow row) {
        String name = row.name();
        if (!row.status().equals("suspended")) {
            throw new ConflictException("orchestrator: vm " + name + " is not suspended (status " + row.status() + ")");
        }
        String backend = runtime.launcher().backend();
        var marker = runtime.states().marker(name);
        String problem = marker.isEmpty() ? "saved state missing in " + runtime.states().dir(name)
                : !marker.get().backend().equals(backend) ? "saved by backend " + marker.get().backend()
                        + ", this volantd runs " + backend : null;
        if (problem == null) {
            return runtime.states().dir(name);
        }
        runtime.states().discard(name);
        VmRow stopped = store.write(tx -> {
            tx.vms().updateState(row.id(), "stopped", null, "stopped");
            return tx.vms().getById(row.id()).orElseThrow();
        });
        VmRecovery.publish(bus, clock, EventType.VM_STOPPED, stopped, "stopped", null, "resume impossible: " + problem);
        log.warn("vm resume impossible vm={} problem={}", name, problem);
        throw new ConflictException("orchestrator: resume vm " + name + ": " + problem
                + "; the vm is now stopped, start it to boot it afresh");
    }

    /** Drops the saved state of a suspended VM that is stopped, restarted or destroyed instead of resumed. */
    void discard(String name) {
        runtime.states().discard(name);
    }
}
