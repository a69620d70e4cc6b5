package io.volant.volantd.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.volant.volantd.config.VolantdConfig;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.NotFoundException;
import io.volant.volantd.errors.VolantException;
import io.volant.volantd.events.EventBus;
import io.volant.volantd.events.EventType;
import io.volant.volantd.hypervisor.process.HypervisorProcesses;
import io.volant.volantd.plugin.PluginRegistry;
import io.volant.volantd.store.CloudInitRow;
import io.volant.volantd.store.ConfigRow;
import io.volant.volantd.store.Store;
import io.volant.volantd.store.VmRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM lifecycle (control-plane.md §1-§2, §4). Every method is blocking and thread-safe; all operations on one
 * name (create, start, stop, restart, destroy, config update, exit handling, recovery) run under that name's lock,
 * long work outside DB transactions. Failures are {@link VolantException}s carrying the spec's message.
 */
public final class VmService {
    private static final Logger log = LoggerFactory.getLogger(VmService.class);

    private final Store store;
    private final PluginRegistry plugins;
    private final VolantdConfig cfg;
    private final VmRuntime runtime;
    private final HypervisorProcesses processes;
    private final NamedLocks locks = new NamedLocks();
    private final VmConfigOps configs;
    private final VmSuspension suspension;
    private final VmEvents events;
    private final VmInstances instances;
    private final VmLaunches launches;
    private volatile ExposeGuard exposeGuard = ExposeGuard.NONE;

    public VmService(Store store, PluginRegistry plugins, EventBus bus, VolantdConfig cfg, Clock clock, VmRuntime runtime) {
        this(store, plugins, bus, cfg, clock, runtime, HypervisorProcesses.NONE);
    }

    /** @param processes the host's hypervisor processes, for recovery of strays ({@link VmRecovery}) */
    public VmService(Store store, PluginRegistry plugins, EventBus bus, VolantdConfig cfg, Clock clock, VmRuntime runtime,
                     HypervisorProcesses processes) {
        this.processes = processes;
        this.store = store;
        this.plugins = plugins;
        this.cfg = cfg;
        this.runtime = runtime;
        this.configs = new VmConfigOps(store, cfg);
        this.suspension = new VmSuspension(store, runtime, bus, clock);
        this.events = new VmEvents(bus, clock);
        VmParts parts = new VmParts(store, cfg, runtime, locks, events);
        this.instances = new VmInstances(parts);
        this.launches = new VmLaunches(parts, configs, suspension, instances);
    }

    /** The port publisher registers here: a standalone VM's {@code expose} may not take another owner's port. */
    public void setExposeGuard(ExposeGuard g) {
        this.exposeGuard = g;
    }

    /** The deployment controller registers here to hear about member exits and destroys. */
    public void setMemberListener(MemberListener l) {
        instances.setListener(l);
    }

    // ------------------------------------------------------------------ create

    /** Creates and boots a VM (api-and-cli.md §2.3.2 resolution + control-plane.md §2.2/§2.10). */
    public Vm create(CreateVmRequest r) {
        VmConfig config = VmCreation.resolve(r, plugins);
        exposeGuard.check("vm", r.name(), config.expose());
        Names.checkVmName(r.name());
        return createVm(r.name(), validate(config), null, null);
    }

    /**
     * The checks of VM creation on a resolved config (400 naming the field; control-plane.md §2.2), the per-VM
     * limits included: deployments run them when a config is created or updated, so their replicas are created
     * without checking again.
     */
    public ValidatedConfig validate(VmConfig config) {
        VmConfig stored = VmCreation.checked(config);
        Bounds.resources(stored, cfg.limits());
        return new ValidatedConfig(stored);
    }

    /**
     * Creates one deployment replica from the group's validated template (control-plane.md §3.3 step 4); used by
     * the deployment controller, which holds the deployment lock.
     */
    public Vm createReplica(String name, ValidatedConfig template, long groupId, int revision) {
        Names.checkVmName(name);
        return createVm(name, template, groupId, revision);
    }

    private Vm createVm(String name, ValidatedConfig config, Long groupId, Integer revision) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            return launches.create(name, config.config(), groupId, revision);
        }
    }

    // ------------------------------------------------------------------ start / stop / restart / destroy

    /**
     * StartVM: 409 {@code orchestrator: vm <name> already running} from starting/running; a suspended VM is
     * resumed.
     */
    public Vm start(String name) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            if (instances.has(name) || row.status().equals("running") || row.status().equals("starting")) {
                throw new ConflictException("orchestrator: vm " + name + " already running");
            }
            return row.status().equals("suspended") ? launches.start(row, suspension.stateFor(row)) : launches.start(row, null);
        }
    }

    /**
     * Saves the running VM's whole state under the data dir and ends its hypervisor (issue 13 item 4); 409 unless
     * it is running.
     */
    public Vm suspend(String name) {
        String group;
        VmSuspension.Suspended done;
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            VmRuntime.Handle h = instances.get(name);
            VmSuspension.checkSuspendable(row, h != null && !h.instance().exit().isDone());
            group = row.groupName();
            done = suspension.suspend(row, h);
            instances.remove(name, h);
        }
        if (!done.releasedRoutes().isEmpty()) {
            instances.memberChanged(group); // as after a stop: another member takes the Drift routes
        }
        return toVm(done.row());
    }

    /** Resumes a suspended VM from its saved state, same name, IP, MAC, CID and disks; 409 unless suspended. */
    public Vm resume(String name) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            return launches.start(row, suspension.stateFor(row));
        }
    }

    /** StopVM, idempotent: from stopped/crashed only the row is touched (no process action, no event). */
    public Vm stop(String name) {
        List<String> released = new ArrayList<>();
        String group;
        Vm stopped;
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            group = row.groupName();
            stopped = doStop(row, released);
        }
        if (!released.isEmpty()) {
            instances.memberChanged(group); // the next pass hands the Drift routes to another member (§9)
        }
        return stopped;
    }

    private Vm doStop(VmRow row, List<String> released) {
        VmRuntime.Handle h = instances.remove(row.name());
        boolean suspended = row.status().equals("suspended");
        boolean active = h != null || suspended || row.status().equals("running") || row.status().equals("starting");
        if (suspended) {
            suspension.discard(row.name()); // stopping a suspended VM gives up its saved state
        }
        if (h != null) {
            released.addAll(runtime.stopAndRelease(row.name(), h, cfg.stopGrace()));
        }
        VmRow stopped = store.write(tx -> {
            tx.vms().updateState(row.id(), "stopped", null, "stopped");
            return tx.vms().getById(row.id()).orElseThrow();
        });
        if (active) {
            publish(EventType.VM_STOPPED, stopped, "stopped", null, "vm stopped");
            log.info("vm stopped vm={}", row.name());
        }
        return toVm(stopped);
    }

    /** Stop then start, under one hold of the VM's lock. */
    public Vm restart(String name) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            VmRow stopped = instances.has(name) || !row.status().equals("stopped")
                    ? fromVm(doStop(row, new ArrayList<>()), row) : row;
            return launches.start(stopped, null);
        }
    }

    /** DestroyVM; for a deployment member a controller pass is enqueued. */
    public void destroy(String name) {
        destroy(name, true);
    }

    /**
     * DestroyVM. {@code notify} false is for the controller's own scale-down, which needs no further pass.
     */
    public void destroy(String name, boolean notify) {
        String group;
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            group = row.groupName();
            Attached before = store.read(tx -> new Attached(tx.configs().get(row.id()), tx.cloudInit().get(row.id())));
            Optional<ConfigRow> cfgRow = before.config();
            Optional<CloudInitRow> ciRow = before.cloudInit();
            List<String> devices = cfgRow.map(c -> runtime.passthroughDevices(VmConfigOps.decodeQuietly(c))).orElse(List.of());
            // The hypervisor stops before the row goes: a crash in between leaves a row whose process is gone
            // (recovery records it crashed, a repeated destroy finishes), never a process without a row.
            VmRuntime.Handle h = instances.remove(name);
            List<String> stillBound = new ArrayList<>(devices);
            if (h != null) {
                runtime.stopAndRelease(name, h, cfg.stopGrace());
                stillBound.removeAll(h.vfio());
            } else if (row.status().equals("running") || row.status().equals("starting")) {
                runtime.cleanupTap(runtime.tapNameFor(name));
                runtime.routes().release(name);
            }
            store.write(tx -> {
                tx.vms().delete(row.id());
                runtime.releaseIp(tx, row.ipAddress());
                return null;
            });
            runtime.removeSeed(name, ciRow.map(CloudInitRow::seedPath).orElse(""));
            runtime.unbind(name, stillBound);
            suspension.discard(name); // after the row: a crash in between leaves an orphan that recovery removes
            publish(EventType.VM_DELETED, row, "stopped", null, "vm deleted");
            log.info("vm destroyed vm={}", name);
        }
        if (notify) {
            instances.memberChanged(group);
        }
    }

    /** What a destroy reads of a VM's rows before removing it. */
    private record Attached(Optional<ConfigRow> config, Optional<CloudInitRow> cloudInit) {}

    // ------------------------------------------------------------------ reads

    /** The VM, or empty. Names are opaque here (legacy rows stay reachable). */
    public Optional<Vm> find(String name) {
        return store.read(tx -> tx.vms().getByName(name)).map(VmService::toVm);
    }

    /** The VM or 404 {@code orchestrator: vm not found: <name>}. */
    public Vm get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** Filtered, sorted, paginated list (api-and-cli.md §2.3.1). */
    public Page<Vm> list(VmQuery query) {
        return VmListing.list(store, query, VmService::toVm);
    }

    /** Members of a deployment, by name (for the controller). */
    /** The configured bounds (deployments check replicas and totals against them). */
    public io.volant.volantd.config.Limits limits() {
        return cfg.limits();
    }

    public List<VmRow> members(long groupId) {
        return store.read(tx -> tx.vms().listByGroup(groupId));
    }

    /** The saved states of suspended VMs (system info shows their count and size). */
    public SavedStates savedStates() {
        return runtime.states();
    }

    /** True when the engine holds a live instance for the VM (readiness base, control-plane.md §3.8 item 5). */
    public boolean isLive(String name) {
        return instances.isLive(name);
    }

    // ------------------------------------------------------------------ config

    /** Current config; 404 for an unknown VM or a missing config; 500 for an undecodable one. */
    public VersionedConfig config(String name) {
        return configs.current(row(name));
    }

    /** Applies a patch body (control-plane.md §4.7, §4.9); returns the new version. Nothing is applied live. */
    public VersionedConfig patchConfig(String name, JsonNode patch) {
        if (patch != null && patch.has("expose")) {
            VmRow row = row(name);
            if (row.groupName() == null) { // a replica's own expose is never published: its deployment's is
                exposeGuard.check("vm", name, VmConfigPatcher.apply(configs.current(row).config(), patch).expose());
            }
        }
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRow row = row(name);
            if (row.status().equals("suspended")) {
                // The saved state only fits the devices and memory it was taken with.
                throw new ConflictException("orchestrator: vm " + name
                        + " is suspended; resume or stop it before changing its configuration");
            }
            return configs.patch(row, patch);
        }
    }

    /** Replaces the whole config (PUT); returns the new version. Nothing is applied live. */
    public VersionedConfig replaceConfig(String name, JsonNode config) {
        try (NamedLocks.Held _ = locks.lock(name)) {
            return configs.replace(row(name), config);
        }
    }

    /** History newest first; {@code limit} 0 = all. */
    public List<ConfigHistoryEntry> configHistory(String name, int limit) {
        return configs.history(row(name), limit);
    }

    // ------------------------------------------------------------------ engine lifecycle

    /** Startup recovery (control-plane.md §2.10 item 9); see {@link VmRecovery}. */
    public void recover() {
        new VmRecovery(store, runtime, events.bus(), events.clock(), instances::register, configs::currentOrNull,
                processes).run();
        instances.names().forEach(this::takeOverRoutes);
        if (runtime.routes().enabled()) {
            // Routes of VMs that ended while volantd was down are still at driftd; nobody owns them any more.
            for (VmRow r : store.read(tx -> tx.vms().list())) {
                if (!instances.has(r.name())) {
                    runtime.routes().dropStale(r, configs.currentOrNull(r));
                }
            }
        }
    }

    /**
     * Applies the VM's Drift routes that nobody owns (control-plane.md §9 Chosen): the controller calls it for
     * running members in index order, so the lowest-index running member inherits a stopped owner's routes;
     * recovery calls it for adopted VMs. No-op for a VM without a live instance; failures are logged.
     */
    public void takeOverRoutes(String name) {
        if (!runtime.routes().enabled()) {
            return;
        }
        try (NamedLocks.Held _ = locks.lock(name)) {
            VmRuntime.Handle h = instances.get(name);
            if (h == null || h.instance().exit().isDone()) {
                return;
            }
            VmRow row = row(name);
            runtime.routes().takeOver(row, configs.current(row).config());
        } catch (RuntimeException e) {
            log.warn("drift route take-over failed vm={} error={}", name, e.getMessage());
        }
    }

    /** Graceful shutdown (§2.10 item 8): every instance stopped in parallel, rows {@code stopped}, events. */
    public void shutdown(boolean leaveRunning) {
        instances.shutdown(leaveRunning);
    }

    /** Stops all bookkeeping at once without touching anything, as if the process died (tests of recovery). */
    public void halt() {
        instances.halt();
    }

    // ------------------------------------------------------------------ helpers

    private VmRow row(String name) {
        return store.read(tx -> tx.vms().getByName(name)).orElseThrow(() -> notFound(name));
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("orchestrator: vm not found: " + name);
    }

    private static VmRow fromVm(Vm v, VmRow old) {
        return new VmRow(old.id(), old.name(), v.status().wire(), null, old.ipAddress(), old.macAddress(), old.cpuCores(),
                old.memoryMb(), old.kernelCmdline(), old.runtime(), old.serialSocket(), old.groupId(), old.groupName(),
                old.vsockCid(), "stopped", old.groupRevision(), old.createdAt(), old.updatedAt());
    }

    static Vm toVm(VmRow r) {
        return new Vm(r.id(), r.name(), VmStatus.parse(r.status()), r.runtime(), r.pid(),
                r.ipAddress() == null ? "" : r.ipAddress(), r.macAddress(), r.vsockCid(), r.cpuCores(), r.memoryMb(),
                r.kernelCmdline(), r.serialSocket(), r.groupName(), r.createdAt(), r.updatedAt(), r.desiredState(), null);
    }

    void publish(EventType type, VmRow row, String status, Long pid, String message) {
        events.publish(type, row, status, pid, message);
    }
}
