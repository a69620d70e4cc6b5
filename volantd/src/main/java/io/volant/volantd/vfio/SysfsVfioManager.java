package io.volant.volantd.vfio;

import io.volant.volantd.errors.ConflictException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VFIO passthrough over sysfs (host-runtime.md §6 with the Chosen rules of §6.6): validation and allowlist, IOMMU
 * group viability, binding with {@code driver_override} + {@code drivers_probe} (never {@code new_id}), restoring
 * the original driver on unbind, a host-use guard for UP network interfaces, and per-VM ownership. The sysfs and
 * {@code /dev/vfio} roots are configurable so tests run against a fake tree. Thread-safe.
 */
public final class SysfsVfioManager implements VfioManager {
    private static final Logger LOG = LoggerFactory.getLogger(SysfsVfioManager.class);
    private static final Pattern ADDRESS = Pattern.compile("^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$");
    private static final String VFIO = "vfio-pci";

    private final Path sys;
    private final Path devVfio;
    private final Map<String, String> originalDrivers = new ConcurrentHashMap<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /** @param sys sysfs root ({@code /sys}); @param devVfio {@code /dev/vfio} */
    public SysfsVfioManager(Path sys, Path devVfio) {
        this.sys = sys;
        this.devVfio = devVfio;
    }

    private Path device(String addr) {
        return sys.resolve("bus/pci/devices").resolve(addr);
    }

    private Path driverDir(String driver) {
        return sys.resolve("bus/pci/drivers").resolve(driver);
    }

    @Override
    public void validateDevices(List<String> addrs, List<String> allowlist) {
        for (String addr : addrs) {
            if (!ADDRESS.matcher(addr).matches()) {
                throw new VfioException("invalid PCI address format: " + addr + " (expected format: 0000:01:00.0)");
            }
            if (!Files.isDirectory(device(addr))) {
                throw new VfioException("PCI device not found: " + addr);
            }
            String vendor = id(addr, "vendor");
            String dev = id(addr, "device");
            if (!allowlist.isEmpty() && allowlist.stream().map(String::trim).noneMatch(e -> matches(e, vendor, dev))) {
                throw new VfioException("device " + addr + " (" + vendor + ":" + dev + ") not in allowlist");
            }
        }
    }

    private static boolean matches(String entry, String vendor, String dev) {
        String e = entry.toLowerCase(Locale.ROOT);
        if (e.endsWith(":*")) {
            return e.substring(0, e.length() - 2).equals(vendor);
        }
        return e.equals(vendor + ":" + dev);
    }

    private String id(String addr, String file) {
        try {
            String v = Files.readString(device(addr).resolve(file)).trim().toLowerCase(Locale.ROOT);
            return v.startsWith("0x") ? v.substring(2) : v;
        } catch (IOException e) {
            throw new VfioException("failed to read device ID for " + addr + ": failed to read " + file + " ID: "
                    + e.getMessage(), e);
        }
    }

    /** §6.3: the requested devices grouped by IOMMU group, groups in numeric order (Chosen). */
    @Override
    public List<IommuGroup> iommuGroups(List<String> addrs) {
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (String addr : addrs) {
            if (!Files.isDirectory(device(addr))) {
                throw new VfioException("device not found: " + addr);
            }
            byGroup.computeIfAbsent(group(addr), g -> new ArrayList<>()).add(addr);
        }
        return byGroup.entrySet().stream().sorted(Map.Entry.comparingByKey(SysfsVfioManager::compareGroupIds))
                .map(e -> new IommuGroup(e.getKey(), e.getValue())).toList();
    }

    private static int compareGroupIds(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** §6.1 device description; a missing IOMMU group or driver is shown as "", an unreadable NUMA node as -1. */
    @Override
    public VfioDevice info(String addr) {
        if (!ADDRESS.matcher(addr).matches()) {
            throw new VfioException("invalid PCI address: " + addr);
        }
        if (!Files.isDirectory(device(addr))) {
            throw new VfioException("device not found: " + addr);
        }
        String vendor = id(addr, "vendor");
        String dev = id(addr, "device");
        String driver = driver(addr).orElse("");
        String group = Files.isSymbolicLink(device(addr).resolve("iommu_group")) ? group(addr) : "";
        String numa;
        try {
            numa = Files.readString(device(addr).resolve("numa_node")).trim();
        } catch (IOException e) {
            numa = "-1";
        }
        return new VfioDevice(addr, vendor, dev, driver, group, numa.isEmpty() ? "-1" : numa);
    }

    private String group(String addr) {
        Path link = device(addr).resolve("iommu_group");
        if (!Files.isSymbolicLink(link)) {
            throw new VfioException("device " + addr + " has no IOMMU group (IOMMU may not be enabled)");
        }
        try {
            return Files.readSymbolicLink(link).getFileName().toString();
        } catch (IOException e) {
            throw new VfioException("failed to get IOMMU group for " + addr + ": " + e.getMessage(), e);
        }
    }

    /** The current driver's name, empty when none is bound. */
    Optional<String> driver(String addr) {
        Path link = device(addr).resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        } catch (IOException e) {
            throw new VfioException("failed to read driver link for " + addr + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records that {@code vm} uses the devices (§6.6 ownership).
     *
     * @throws ConflictException {@code device <addr> already assigned to vm <name>}
     */
    public synchronized void claim(String vm, List<String> addrs) {
        for (String a : addrs) {
            String other = owners.get(a);
            if (other != null && !other.equals(vm)) {
                throw new ConflictException("device " + a + " already assigned to vm " + other);
            }
        }
        addrs.forEach(a -> owners.put(a, vm));
    }

    /** Forgets the VM's devices (after unbinding them). */
    public synchronized void release(String vm) {
        owners.values().removeIf(vm::equals);
    }

    @Override
    public void bindDevices(List<String> addrs) {
        if (!Files.isDirectory(driverDir(VFIO))) {
            throw new VfioException("vfio-pci driver not available (load the vfio-pci module)");
        }
        for (String addr : addrs) {
            checkGroupViable(addr, addrs);
            checkHostUse(addr);
        }
        for (String addr : addrs) {
            Optional<String> current = driver(addr);
            if (current.isPresent() && current.get().equals(VFIO)) {
                continue;
            }
            write(device(addr).resolve("driver_override"), VFIO);
            if (current.isPresent()) {
                originalDrivers.put(addr, current.get());
                try {
                    write(driverDir(current.get()).resolve("unbind"), addr);
                } catch (VfioException e) {
                    throw new VfioException("failed to unbind " + addr + " from " + current.get() + ": "
                            + e.getMessage(), e);
                }
            }
            write(sys.resolve("bus/pci/drivers_probe"), addr);
            String g = group(addr);
            if (!Files.exists(devVfio.resolve(g))) {
                throw new VfioException("failed to bind " + addr + " to vfio-pci: " + devVfio.resolve(g)
                        + " does not exist");
            }
            LOG.info("vfio bound device={} group={} original_driver={}", addr, g, current.orElse(""));
        }
    }

    /** §6.6: every other group member is requested, vfio-bound, driverless or a PCI bridge. */
    private void checkGroupViable(String addr, List<String> requested) {
        String g = group(addr);
        Path members = sys.resolve("kernel/iommu_groups").resolve(g).resolve("devices");
        if (!Files.isDirectory(members)) {
            return;
        }
        try (Stream<Path> s = Files.list(members)) {
            for (Path m : s.sorted().toList()) {
                String other = m.getFileName().toString();
                if (other.equals(addr) || requested.contains(other)) {
                    continue;
                }
                Optional<String> d = driver(other);
                if (d.isEmpty() || d.get().equals(VFIO) || isBridge(other)) {
                    continue;
                }
                throw new VfioException("device " + addr + " shares IOMMU group " + g + " with " + other + " (driver "
                        + d.get() + "); pass the whole group or unbind it");
            }
        } catch (IOException e) {
            throw new VfioException("failed to get IOMMU group for " + addr + ": " + e.getMessage(), e);
        }
    }

    private boolean isBridge(String addr) {
        try {
            String cls = Files.readString(device(addr).resolve("class")).trim().toLowerCase(Locale.ROOT);
            return cls.startsWith("0x0604");
        } catch (IOException e) {
            return false;
        }
    }

    /** §6.6 host-use guard (network part): refuse a device backing an UP host interface. */
    private void checkHostUse(String addr) {
        Path net = device(addr).resolve("net");
        if (!Files.isDirectory(net)) {
            return;
        }
        try (Stream<Path> s = Files.list(net)) {
            for (Path iface : s.toList()) {
                String state = Files.readString(iface.resolve("operstate")).trim();
                if ("up".equals(state)) {
                    throw new VfioException("device " + addr + " is in use by the host (" + iface.getFileName() + ")");
                }
            }
        } catch (IOException e) {
            LOG.warn("host-use check failed device={} err={}", addr, e.toString());
        }
    }

    @Override
    public List<String> groupPaths(List<String> addrs) {
        List<String> out = new ArrayList<>();
        for (String addr : addrs) {
            Path dir = device(addr);
            if (!Files.isDirectory(dir)) {
                throw new VfioException("PCI device not found: " + dir);
            }
            Optional<String> d = driver(addr);
            if (d.isEmpty()) {
                throw new VfioException("device " + addr + " has no driver bound");
            }
            if (!d.get().equals(VFIO)) {
                throw new VfioException("device " + addr + " is not bound to vfio-pci (current driver: " + d.get()
                        + ")");
            }
            out.add(Path.of("/sys/bus/pci/devices").resolve(addr).toString());
        }
        return out;
    }

    @Override
    public void unbindDevices(List<String> addrs) {
        for (String addr : addrs) {
            try {
                if (driver(addr).filter(VFIO::equals).isPresent()) {
                    write(driverDir(VFIO).resolve("unbind"), addr);
                }
                write(device(addr).resolve("driver_override"), "\n");
                write(sys.resolve("bus/pci/drivers_probe"), addr);
                LOG.info("vfio released device={} restored_driver={}", addr, originalDrivers.remove(addr));
            } catch (RuntimeException e) {
                LOG.warn("vfio unbind failed device={} err={}", addr, e.getMessage());
            }
        }
    }

    /** The driver recorded before binding, if any. */
    public Optional<String> originalDriver(String addr) {
        return Optional.ofNullable(originalDrivers.get(addr));
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new VfioException("write " + file + ": " + e.getMessage(), e);
        }
    }
}
