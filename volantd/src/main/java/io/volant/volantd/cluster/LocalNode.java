package io.volant.volantd.cluster;

import io.volant.volantd.config.ClusterSettings;
import io.volant.volantd.vm.Vm;
import io.volant.volantd.vm.VmStatus;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * This volantd as a {@link Node}, computed from local state on every call: CPUs and memory of the host, the guest
 * addresses its pool has left, the deployment members running here. On a single host it is the whole directory
 * (one node, named {@code local} unless {@code VOLANT_NODE_NAME} says otherwise).
 */
public final class LocalNode implements NodeDirectory {
    private final ClusterSettings settings;
    private final String url;
    private final String backend;
    private final Supplier<List<Vm>> vms;
    private final int poolSize;
    private final String subnet;

    /**
     * @param url      where clients reach this volantd ({@code VOLANT_NODE_URL}, or the listen address on a single host)
     * @param vms      every VM of this volantd
     * @param poolSize guest addresses of the managed subnet (each VM holds one)
     * @param subnet   the managed subnet
     */
    public LocalNode(ClusterSettings settings, String url, String backend, Supplier<List<Vm>> vms, int poolSize,
                     String subnet) {
        this.settings = settings;
        this.url = url;
        this.backend = backend;
        this.vms = vms;
        this.poolSize = poolSize;
        this.subnet = subnet;
    }

    public String name() {
        return settings.nodeName();
    }

    /** Every VM of this volantd now. */
    public List<Vm> vms() {
        return vms.get();
    }

    public Node snapshot() {
        List<Vm> all = vms.get();
        List<String> replicas = all.stream()
                .filter(v -> v.deployment() != null && v.status() == VmStatus.RUNNING).map(Vm::name).sorted().toList();
        long memory = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
                .getTotalMemorySize() >> 20;
        Node.Capacity capacity = new Node.Capacity(Runtime.getRuntime().availableProcessors(), memory,
                Math.max(0, poolSize - all.size()), backend);
        return new Node(settings.nodeName(), url, Node.READY, capacity, settings.labels(), replicas, subnet, true);
    }

    @Override
    public List<Node> nodes() {
        return List.of(snapshot());
    }
}
