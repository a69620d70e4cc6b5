package io.volant.volantd.vfio;

import java.util.List;

/** PCI passthrough through vfio-pci (host-runtime.md §6). Thread-safe. */
public interface VfioManager {

    /** Checks addresses and allowlist; throws {@link VfioException} naming the offending address. */
    void validateDevices(List<String> pciAddresses, List<String> allowlist);

    /** Binds the devices to vfio-pci. */
    void bindDevices(List<String> pciAddresses);

    /** The sysfs device directories {@code /sys/bus/pci/devices/<addr>} handed to the hypervisor. */
    List<String> groupPaths(List<String> pciAddresses);

    /** Returns the devices to their original drivers; failures are reported but callers only log them. */
    void unbindDevices(List<String> pciAddresses);
}
