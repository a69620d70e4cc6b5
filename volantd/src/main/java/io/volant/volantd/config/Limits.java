package io.volant.volantd.config;

/**
 * Upper bounds on what the API accepts (issue 16: {@code replicas: 2147483647} exhausted the address pool and
 * {@code cpu_cores}/{@code memory_mb} of 2147483647 were stored). Each is configurable; the per-VM defaults are the
 * host's own size, since a guest larger than its host can never run.
 *
 * @param maxReplicas   {@code VOLANT_MAX_REPLICAS}: replicas of one deployment (default 256)
 * @param maxVms        {@code VOLANT_MAX_VMS}: VMs in total, deployment members included (default 1024)
 * @param maxCpuCores   {@code VOLANT_MAX_VM_CPUS}: vCPUs of one VM (default: 4 × the host's CPUs: vCPUs may be
 *                      overcommitted, as every hypervisor allows, but not without bound)
 * @param maxMemoryMb   {@code VOLANT_MAX_VM_MEMORY_MB}: memory of one VM in MiB (default: the host's memory)
 */
public record Limits(int maxReplicas, int maxVms, int maxCpuCores, long maxMemoryMb) {
    public static final int DEFAULT_MAX_REPLICAS = 256;
    public static final int DEFAULT_MAX_VMS = 1024;

    public Limits {
        if (maxReplicas < 1 || maxVms < 1 || maxCpuCores < 1 || maxMemoryMb < 1) {
            throw new ConfigException("limits must be >= 1");
        }
    }

    /** The defaults on this host. */
    public static Limits forHost() {
        return new Limits(DEFAULT_MAX_REPLICAS, DEFAULT_MAX_VMS, hostCpus(), hostMemoryMb());
    }

    /** vCPUs per host CPU that one VM may have. */
    static final int CPU_OVERCOMMIT = 4;

    static int hostCpus() {
        return CPU_OVERCOMMIT * Runtime.getRuntime().availableProcessors();
    }

    static long hostMemoryMb() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long bytes = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
        return bytes > 0 ? Math.max(1, bytes / (1024 * 1024)) : Long.MAX_VALUE / (1024 * 1024);
    }
}
