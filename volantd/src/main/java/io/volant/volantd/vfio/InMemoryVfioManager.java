package io.volant.volantd.vfio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** In-memory VFIO twin for tests: records bound devices and unbind calls. Thread-safe. */
public final class InMemoryVfioManager implements VfioManager {
    private final Set<String> bound = new LinkedHashSet<>();
    private final List<String> unbound = new ArrayList<>();

    @Override
    public synchronized void validateDevices(List<String> pciAddresses, List<String> allowlist) {
        for (String a : pciAddresses) {
            if (!a.matches("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]")) {
                throw new VfioException("invalid PCI address \"" + a + "\"");
            }
            if (!allowlist.isEmpty() && !allowlist.contains(a)) {
                throw new VfioException("device " + a + " is not in the allowlist");
            }
        }
    }

    @Override
    public synchronized void bindDevices(List<String> pciAddresses) {
        bound.addAll(pciAddresses);
    }

    @Override
    public List<String> groupPaths(List<String> pciAddresses) {
        return pciAddresses.stream().map(a -> "/sys/bus/pci/devices/" + a).toList();
    }

    @Override
    public synchronized void unbindDevices(List<String> pciAddresses) {
        pciAddresses.forEach(bound::remove);
        unbound.addAll(pciAddresses);
    }

    /** Every device exists, vendor 10de device 2204, group = its bus number, NUMA node 0. */
    @Override
    public synchronized VfioDevice info(String a) {
        return new VfioDevice(a, "10de", "2204", bound.contains(a) ? "vfio-pci" : "", group(a), "0");
    }

    @Override
    public List<IommuGroup> iommuGroups(List<String> pciAddresses) {
        java.util.TreeMap<Integer, List<String>> groups = new java.util.TreeMap<>();
        pciAddresses.forEach(a -> groups.computeIfAbsent(Integer.parseInt(group(a)), g -> new ArrayList<>()).add(a));
        return groups.entrySet().stream().map(e -> new IommuGroup(e.getKey().toString(), e.getValue())).toList();
    }

    private static String group(String address) {
        return String.valueOf(Integer.parseInt(address.substring(5, 7), 16));
    }

    public synchronized Set<String> bound() {
        return Set.copyOf(bound);
    }

    public synchronized List<String> unbound() {
        return List.copyOf(unbound);
    }
}
