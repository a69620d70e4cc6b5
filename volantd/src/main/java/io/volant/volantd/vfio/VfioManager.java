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

    /**
     * Vendor, device, driver, IOMMU group and NUMA node of one device (host-runtime.md §6.1).
     *
     * @throws VfioException {@code device not found: <addr>} or an unreadable ID
     */
    VfioDevice info(String pciAddress);

    /**
     * The IOMMU groups of the devices with the requested addresses in each, sorted by numeric group id (Chosen).
     *
     * @throws VfioException {@code device <addr> has no IOMMU group (IOMMU may not be enabled)} and read failures
     */
    List<IommuGroup> iommuGroups(List<String> pciAddresses);
}
