package io.volant.volantd.vfio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fake {@code /sys} + {@code /dev/vfio} tree under a temp directory, laid out as the kernel does (§6.1). */
public final class FakeSysfs {
    public final Path sys;
    public final Path devVfio;

    public FakeSysfs(Path root) throws IOException {
        sys = root.resolve("sys");
        devVfio = root.resolve("dev/vfio");
        for (String d : new String[] {"nvidia", "vfio-pci", "snd_hda_intel", "pcieport"}) {
            Files.createDirectories(sys.resolve("bus/pci/drivers").resolve(d));
            Files.createFile(sys.resolve("bus/pci/drivers").resolve(d).resolve("unbind"));
        }
        Files.createFile(sys.resolve("bus/pci/drivers_probe"));
        Files.createDirectories(devVfio);
    }

    /** A device; {@code driver}, {@code group} and {@code numa} may be null (absent). */
    public Path device(String addr, String vendor, String dev, String driver, String group, String numa)
            throws IOException {
        Path d = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(addr));
        Files.writeString(d.resolve("vendor"), vendor + "\n");
        Files.writeString(d.resolve("device"), dev + "\n");
        Files.writeString(d.resolve("class"), "0x030000\n");
        Files.createFile(d.resolve("driver_override"));
        if (numa != null) {
            Files.writeString(d.resolve("numa_node"), numa + "\n");
        }
        if (driver != null) {
            Files.createSymbolicLink(d.resolve("driver"), Path.of("../../../bus/pci/drivers/" + driver));
        }
        if (group != null) {
            Path g = Files.createDirectories(sys.resolve("kernel/iommu_groups").resolve(group).resolve("devices"));
            Files.createSymbolicLink(d.resolve("iommu_group"), Path.of("../../../kernel/iommu_groups/" + group));
            Files.createSymbolicLink(g.resolve(addr), d);
        }
        return d;
    }

    public SysfsVfioManager manager() {
        return new SysfsVfioManager(sys, devVfio);
    }
}
