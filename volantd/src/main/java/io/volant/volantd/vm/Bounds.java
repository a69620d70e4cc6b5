package io.volant.volantd.vm;

import io.volant.volantd.config.Limits;
import io.volant.volantd.errors.ConflictException;
import io.volant.volantd.errors.InvalidArgumentException;

/**
 * The configurable bounds of {@link Limits} as API errors that name the value, the limit and the variable that
 * sets it: 400 for a request that is too large by itself, 409 for one that does not fit next to what exists.
 */
public final class Bounds {
    private Bounds() {}

    /** 400 when a VM's vCPUs or memory exceed the per-VM limits. */
    public static void resources(VmConfig c, Limits l) {
        int cpu = c.resources().cpuCores();
        if (cpu > l.maxCpuCores()) {
            throw new InvalidArgumentException("orchestrator: cpu_cores " + cpu + " exceeds the limit of "
                    + l.maxCpuCores() + " (VOLANT_MAX_VM_CPUS)");
        }
        long mem = c.resources().memoryMb();
        if (mem > l.maxMemoryMb()) {
            throw new InvalidArgumentException("orchestrator: memory_mb " + mem + " exceeds the limit of "
                    + l.maxMemoryMb() + " (VOLANT_MAX_VM_MEMORY_MB)");
        }
    }

    /** 400 when one deployment asks for more replicas than allowed. */
    public static void replicas(int replicas, Limits l) {
        if (replicas > l.maxReplicas()) {
            throw new InvalidArgumentException("orchestrator: replicas " + replicas + " exceeds the limit of "
                    + l.maxReplicas() + " (VOLANT_MAX_REPLICAS)");
        }
    }

    /** 409 when {@code others} VMs outside a deployment plus its {@code replicas} would exceed the total. */
    public static void deploymentFits(int replicas, int others, Limits l) {
        if ((long) others + replicas > l.maxVms()) {
            throw new ConflictException("orchestrator: replicas " + replicas + " would make " + ((long) others + replicas)
                    + " VMs, limit " + l.maxVms() + " (VOLANT_MAX_VMS)");
        }
    }

    /** 409 when creating one more VM would exceed the total. */
    public static void oneMoreVm(int existing, Limits l) {
        if (existing >= l.maxVms()) {
            throw new ConflictException("orchestrator: vm limit reached: " + existing + " VMs exist, limit "
                    + l.maxVms() + " (VOLANT_MAX_VMS)");
        }
    }
}
