package io.volant.volantd.vm;

import io.volant.manifest.NetworkConfig;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;
import io.volant.volantd.errors.VolantException;
import io.volant.volantd.events.EventType;
import io.volant.volantd.hypervisor.Instance;
import io.volant.volantd.hypervisor.KernelCommandLine;
import io.volant.volantd.network.Macs;
import io.volant.volantd.store.NewVm;
import io.volant.volantd.store.TxFunction;
import io.volant.volantd.store.VmRow;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create and start (cold, or restored from a suspended state): the row, config and seed written, the hypervisor
 * launched, routes applied, the instance registered; on failure whatever was acquired is released and the row
 * reverted, with one event. Callers hold the VM's lock.
 */
record VmLaunches(VmParts parts, VmConfigOps configs, VmSuspension suspension, VmInstances instances) {
    private static final Logger log = LoggerFactory.getLogger(VmLaunches.class);

    /** Creates the row, stores the config and seed, launches; everything undone on failure. Caller holds the lock. */
    Vm create(String name, VmConfig config, Long groupId, Integer revision) {
        NetworkConfig net = VmConfigs.effectiveNetwork(config.network(), config.manifest());
        boolean needsIp = VmConfigs.needsIp(net);
        VmRow row = parts.store().write(tx -> {
            if (tx.vms().exists(name)) {
                throw new ConflictException("orchestrator: vm already exists: " + name);
            }
            Bounds.oneMoreVm(tx.vms().count(), parts.cfg().limits());
            if (groupId == null) {
                for (String d : Names.possibleOwners(name)) {
                    if (tx.groups().getByName(d).isPresent()) {
                        throw new ConflictException("orchestrator: vm name " + name + " is reserved by deployment " + d);
                    }
                }
            }
            String ip = needsIp ? tx.ips().leaseNextAvailable() : null;
            long cid = tx.vms().nextFreeCid();
            String mac = Macs.derive(name, ip);
            String cmdline = KernelCommandLine.stored(VmConfigs.mode(net), ip, parts.cfg().hostIp(), parts.cfg().netmask(), name,
                    config.kernelCmdline());
            long id = tx.vms().insert(new NewVm(name, "starting", ip, mac, config.resources().cpuCores(),
                    config.resources().memoryMb(), cmdline, config.runtime(), groupId, revision, cid, "running"));
            if (ip != null) {
                tx.ips().assign(ip, id);
            }
            return tx.vms().getById(id).orElseThrow();
        });
        parts.events().publish(EventType.VM_CREATED, row, "starting", null, "vm record created");
        VmRuntime.Acquired acquired = new VmRuntime.Acquired();
        try {
            String json = VmConfigCodec.toJsonString(config);
            acquired.seed = parts.runtime().prepareSeed(row, config, null);
            parts.store().write(tx -> {
                tx.configs().upsert(row.id(), json);
                if (acquired.seed != null) {
                    tx.cloudInit().upsert(acquired.seed.record());
                }
                return null;
            });
            VmRow running = launch(row, config, acquired, "vm running");
            log.info("vm created vm={} ip={} cid={} pid={}", name, row.ipAddress(), row.vsockCid(), running.pid());
            return VmService.toVm(running);
        } catch (RuntimeException e) {
            throw rollback(row, acquired, e, EventType.VM_DELETED, "vm create rolled back", tx -> {
                tx.vms().delete(row.id());
                parts.runtime().releaseIp(tx, row.ipAddress());
                return null;
            });
        }
    }

    /**
     * The common end of create and start: Drift keys reserved, the hypervisor launched, routes applied, the row
     * marked running, the instance supervised. Throws with whatever is acquired left in {@code acquired} for the
     * caller's rollback.
     */
    private VmRow launch(VmRow row, VmConfig config, VmRuntime.Acquired acquired, String message) {
        acquired.routes = parts.runtime().routes().reserve(row, config);
        // The row owns the process from its first moment: a crash during the rest of the launch leaves a
        // `starting` row with this pid, which recovery stops (VmRecovery).
        Instance inst = parts.runtime().launch(row, config, acquired, pid -> parts.store().write(tx -> {
            tx.vms().updateRuntimeState(row.id(), "starting", pid);
            return null;
        }));
        parts.runtime().routes().apply(acquired);
        parts.store().write(tx -> {
            tx.vms().markRunning(row.id(), inst.pid(), parts.runtime().serialPath(inst));
            return null;
        });
        instances.register(row.name(), acquired.handle(inst));
        VmRow running = parts.store().read(tx -> tx.vms().getById(row.id())).orElseThrow();
        parts.events().publish(EventType.VM_RUNNING, running, "running", inst.pid(), message);
        return running;
    }

    /**
     * Undoes a failed create or start: host resources released, the row reverted by {@code undo} (a failure there
     * is logged, the original error wins), one event. Returns the error to throw.
     */
    private VolantException rollback(VmRow row, VmRuntime.Acquired acquired, RuntimeException cause, EventType type,
            String what, TxFunction<Void> undo) {
        return rollback(row, acquired, cause, type, "stopped", what, undo);
    }

    private VolantException rollback(VmRow row, VmRuntime.Acquired acquired, RuntimeException cause, EventType type,
            String status, String what, TxFunction<Void> undo) {
        VolantException err = VmRuntime.classify(cause);
        parts.runtime().release(row.name(), acquired, true);
        try {
            parts.store().write(undo);
        } catch (RuntimeException re) {
            log.error("vm rollback failed vm={} step={} error={}", row.name(), what, re.getMessage());
        }
        parts.events().publish(type, row, status, null, what + ": " + err.getMessage());
        log.warn("{} vm={} error={}", what, row.name(), err.getMessage());
        return err;
    }

    /**
     * Boots the VM, or restores it from {@code restoreFrom} (a resume: a failure leaves it suspended). Caller holds
     * the lock.
     */
    Vm start(VmRow row, Path restoreFrom) {
        String name = row.name();
        VmConfig config = configs.current(row).config();
        parts.store().write(tx -> {
            tx.vms().updateState(row.id(), "starting", null, "running");
            return null;
        });
        VmRuntime.Acquired acquired = new VmRuntime.Acquired();
        acquired.restoreFrom = restoreFrom;
        try {
            VmConfig effective = config.withCloudInit(VmConfigs.mergeCloudInit(config.manifest() == null ? null
                    : config.manifest().cloudInit(), config.cloudInit()));
            if (effective.manifest() == null) {
                throw new InvalidArgumentException("orchestrator: manifest missing in configuration for vm " + name);
            }
            var previous = parts.store().read(tx -> tx.cloudInit().get(row.id()));
            acquired.seed = parts.runtime().prepareSeed(row, effective, previous.orElse(null));
            parts.store().write(tx -> {
                if (acquired.seed != null) {
                    tx.cloudInit().upsert(acquired.seed.record());
                } else if (previous.isPresent()) {
                    tx.cloudInit().delete(row.id());
                }
                return null;
            });
            if (restoreFrom == null) {
                return VmService.toVm(launch(row, effective, acquired, "vm started"));
            }
            Vm resumed = VmService.toVm(launch(row, effective, acquired, "vm resumed"));
            suspension.discard(name); // a crash before this leaves a stale state that recovery removes
            return resumed;
        } catch (RuntimeException e) {
            if (restoreFrom != null) {
                throw rollback(row, acquired, e, EventType.VM_SUSPENDED, "suspended", "vm resume failed", tx -> {
                    tx.vms().updateState(row.id(), "suspended", null, "stopped");
                    return null;
                });
            }
            throw rollback(row, acquired, e, EventType.VM_STOPPED, "vm start failed", tx -> {
                tx.vms().updateRuntimeState(row.id(), "stopped", null);
                return null;
            });
        }
    }
}
