package io.volant.volantd.vm;

import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.events.Topics;
import io.volant.volantd.events.VmEvent;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import io.volant.volantd.hypervisor.process.HypervisorProcesses;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Startup recovery (control-plane.md §2.10 item 9), run before the API serves and before the controller starts:
 * IP sweep; half-created VMs removed; surviving hypervisors adopted (the launcher checks that the pid's command line
 * names this VM's control socket, so a foreign process is never signalled); the rest recorded truthfully. Saved
 * states of suspended VMs: a complete one makes a dead {@code running}/{@code starting} row {@code suspended} (the
 * crash came after the state was written), a {@code suspended} row without one becomes {@code stopped}, every
 * other state directory is removed. A launch cut short by the crash ({@code starting} with the pid it recorded) is
 * stopped, never adopted. Last, hypervisor processes of this runtime directory that no row owns are stopped.
 */
final class VmRecovery {
    private static final Logger log = LoggerFactory.getLogger(VmRecovery.class);

    private final Store store;
    private final VmRuntime runtime;
    private final EventBus bus;
    private final Clock clock;
    private final BiConsumer<String, VmRuntime.Handle> register;
    private final Function<VmRow, VmConfig> config;
    private final HypervisorProcesses processes;

    VmRecovery(Store store, VmRuntime runtime, EventBus bus, Clock clock, BiConsumer<String, VmRuntime.Handle> register,
               Function<VmRow, VmConfig> config, HypervisorProcesses processes) {
        this.processes = processes;
        this.store = store;
        this.runtime = runtime;
        this.bus = bus;
        this.clock = clock;
        this.register = register;
        this.config = config;
    }

    void run() {
        store.write(tx -> {
            tx.ips().ensurePool(runtime.pool());
            tx.ips().sweep(runtime.pool());
            return null;
        });
        List<VmRow> rows = store.read(tx -> tx.vms().list());
        int adopted = 0;
        int crashed = 0;
        int removed = 0;
        SavedStates states = runtime.states();
        java.util.Set<String> keepStates = new java.util.HashSet<>();
        for (VmRow row : rows) {
            try {
                switch (row.status()) {
                    case "starting", "running" -> {
                        VmConfig cfg = config.apply(row);
                        boolean starting = row.status().equals("starting");
                        if (starting && row.pid() != null) {
                            stopInterruptedLaunch(row);
                        }
                        if (starting && cfg == null) {
                            removeHalfCreated(row);
                            removed++;
                        } else if (!starting && adopt(row, cfg)) {
                            adopted++; // a complete state left here was a resume's: the VM runs, it goes
                        } else if (states.marker(row.name()).isPresent()) {
                            markSuspended(row); // suspend (or resume) interrupted after the state was complete
                            keepStates.add(row.name());
                        } else {
                            markDead(row);
                            crashed++;
                        }
                    }
                    case "suspended" -> {
                        if (states.marker(row.name()).isPresent()) {
                            keepStates.add(row.name());
                        } else {
                            markStateLost(row);
                        }
                    }
                    default -> {
                        if (row.pid() != null) {
                            store.write(tx -> {
                                tx.vms().updateRuntimeState(row.id(), row.status(), null);
                                return null;
                            });
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.error("recovery failed vm={} error={}", row.name(), e.getMessage());
            }
        }
        for (String name : states.names()) {
            if (!keepStates.contains(name)) {
                states.discard(name); // torn suspends, resumed or deleted VMs
            }
        }
        int strays = stopStrays();
        int taps = removeUnownedTaps();
        log.info("recovery done vms={} adopted={} not_running={} removed={} suspended={} strays_stopped={} "
                + "taps_removed={}", rows.size(), adopted, crashed, removed, keepStates.size(), strays, taps);
    }

    private void markSuspended(VmRow row) {
        store.write(tx -> {
            tx.vms().updateState(row.id(), "suspended", null, "stopped");
            return null;
        });
        runtime.cleanupTap(runtime.tapNameFor(row.name()));
        runtime.removeSeed(row.name(), "");
        publish(bus, clock, EventType.VM_SUSPENDED, row, "suspended", null, "suspended state found after volantd restart");
        log.info("recovery vm={} was={} now=suspended", row.name(), row.status());
    }

    private void markStateLost(VmRow row) {
        store.write(tx -> {
            tx.vms().updateState(row.id(), "stopped", null, "stopped");
            return null;
        });
        publish(bus, clock, EventType.VM_STOPPED, row, "stopped", null, "suspended state missing after volantd restart");
        log.warn("recovery vm={} was=suspended now=stopped reason=state_missing", row.name());
    }

    /**
     * Stops hypervisor processes of this runtime directory that no row owns (name and pid): launched just before a
     * crash, before the pid was recorded, or left by a row removed while its process lived. Runs after adoption.
     */
    private int stopStrays() {
        Set<String> owned = new HashSet<>();
        for (VmRow r : store.read(tx -> tx.vms().list())) {
            if (r.pid() != null && (r.status().equals("running") || r.status().equals("starting"))) {
                owned.add(r.name() + "/" + r.pid());
            }
        }
        int n = 0;
        for (HypervisorProcesses.Found f : processes.list()) {
            if (!owned.contains(f.vm() + "/" + f.pid())) {
                log.warn("recovery stopping hypervisor without a row vm={} pid={}", f.vm(), f.pid());
                processes.stop(f.pid());
                n++;
            }
        }
        return n;
    }

    /**
     * A {@code starting} row with a pid: the launch recorded its process (issue 14 item 8) and volantd died before
     * the launch completed (a clone may still wait for its state, a resume for its memory). Such a process is never
     * adopted; it is stopped when the host's process table shows that pid with this VM's control socket (so a reused
     * pid is never signalled), and the row is then recorded not running like any dead one.
     */
    private void stopInterruptedLaunch(VmRow row) {
        for (HypervisorProcesses.Found f : processes.list()) {
            if (f.pid() == row.pid() && f.vm().equals(row.name())) {
                log.warn("recovery stopping interrupted launch vm={} pid={}", row.name(), f.pid());
                processes.stop(f.pid());
                return;
            }
        }
    }

    /**
     * Removes this volantd's taps that no running VM owns (a crash between a tap's creation and its row's update, a
     * row removed while its tap stayed). Runs last, when every surviving VM has been adopted.
     */
    private int removeUnownedTaps() {
        Set<String> owned = new HashSet<>();
        for (VmRow r : store.read(tx -> tx.vms().list())) {
            if (r.status().equals("running")) {
                owned.add(runtime.tapNameFor(r.name()));
            }
        }
        int n = 0;
        for (String tap : runtime.listTaps()) {
            if (!owned.contains(tap)) {
                log.warn("recovery removing tap without a vm tap={}", tap);
                runtime.cleanupTap(tap);
                n++;
            }
        }
        return n;
    }

    private void removeHalfCreated(VmRow row) {
        store.write(tx -> {
            tx.vms().delete(row.id());
            runtime.releaseIp(tx, row.ipAddress());
            return null;
        });
        runtime.cleanupTap(runtime.tapNameFor(row.name()));
        runtime.removeSeed(row.name(), "");
        log.info("recovery removed half-created vm={}", row.name());
    }

    private boolean adopt(VmRow row, VmConfig cfg) {
        if (row.pid() == null || cfg == null) {
            return false;
        }
        Optional<Instance> inst = runtime.launcher().adopt(row.name(), row.pid());
        if (inst.isEmpty()) {
            return false;
        }
        String tap = VmConfigs.needsTap(VmConfigs.effectiveNetwork(cfg.network(), cfg.manifest()))
                ? runtime.tapNameFor(row.name()) : "";
        store.write(tx -> {
            tx.vms().updateRuntimeState(row.id(), "running", inst.get().pid());
            return null;
        });
        register.accept(row.name(), new VmRuntime.Handle(inst.get(), tap, runtime.passthroughDevices(cfg)));
        log.info("recovery adopted vm={} pid={}", row.name(), row.pid());
        return true;
    }

    private void markDead(VmRow row) {
        boolean wasRunning = row.status().equals("running");
        String status = wasRunning ? "crashed" : "stopped";
        store.write(tx -> {
            tx.vms().updateRuntimeState(row.id(), status, null);
            return null;
        });
        runtime.cleanupTap(runtime.tapNameFor(row.name()));
        runtime.removeSeed(row.name(), "");
        if (wasRunning) {
            publish(bus, clock, EventType.VM_CRASHED, row, "crashed", null, "hypervisor not running after volantd restart");
        }
        log.info("recovery vm={} was={} now={}", row.name(), row.status(), status);
    }

    static void publish(EventBus bus, Clock clock, EventType type, VmRow row, String status, Long pid, String message) {
        bus.publish(Topics.VM_EVENTS, VmEvent.lifecycle(type, row.name(), status,
                row.ipAddress() == null ? "" : row.ipAddress(), row.macAddress(), pid, clock.instant(), message));
    }
}
