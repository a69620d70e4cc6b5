package io.volant.volantd.hypervisor.qemu;

/**
 * Daemon-wide QEMU settings (host-runtime.md §9.1-§9.3).
 *
 * @param binary      {@code VOLANT_QEMU_BINARY}
 * @param machine     {@code q35} or {@code microvm}
 * @param kvm         accelerator: KVM when true, TCG otherwise
 * @param vhostNet    add {@code vhost=on} to the tap netdev (KVM and a usable {@code /dev/vhost-net})
 * @param vhostVsock  attach {@code vhost-vsock-pci} (a usable {@code /dev/vhost-vsock}, KVM)
 */
public record QemuOptions(String binary, String machine, boolean kvm, boolean vhostNet, boolean vhostVsock) {

    public String accel() {
        return kvm ? "kvm" : "tcg";
    }

    public boolean microvm() {
        return "microvm".equals(machine);
    }
}
