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

    public synchronized Set<String> bound() {
        return Set.copyOf(bound);
    }

    public synchronized List<String> unbound() {
        return List.copyOf(unbound);
    }
}
