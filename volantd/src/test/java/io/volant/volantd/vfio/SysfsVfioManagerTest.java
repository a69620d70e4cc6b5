package io.volant.volantd.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.volantd.errors.ConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host-runtime.md §10 AC-V1..V4 against a fake sysfs tree. */
class SysfsVfioManagerTest {
    private static final String GPU = "0000:01:00.0";

    @TempDir
    Path root;
    Path sys;
    SysfsVfioManager vfio;

    @BeforeEach
    void tree() throws Exception {
        sys = root.resolve("sys");
        for (String d : List.of("nvidia", "vfio-pci", "snd_hda_intel", "pcieport")) {
            Files.createDirectories(sys.resolve("bus/pci/drivers").resolve(d));
            Files.createFile(sys.resolve("bus/pci/drivers").resolve(d).resolve("unbind"));
        }
        Files.createFile(sys.resolve("bus/pci/drivers_probe"));
        device(GPU, "0x10de", "0x2204", "0x030000", "nvidia", "7");
        Files.createDirectories(root.resolve("dev/vfio/7"));
        vfio = new SysfsVfioManager(sys, root.resolve("dev/vfio"));
    }

    private Path device(String addr, String vendor, String dev, String cls, String driver, String group)
            throws Exception {
        Path d = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(addr));
        Files.writeString(d.resolve("vendor"), vendor + "\n");
        Files.writeString(d.resolve("device"), dev + "\n");
        Files.writeString(d.resolve("class"), cls + "\n");
        Files.createFile(d.resolve("driver_override"));
        if (driver != null) {
            Files.createSymbolicLink(d.resolve("driver"), Path.of("../../../bus/pci/drivers/" + driver));
        }
        Path g = Files.createDirectories(sys.resolve("kernel/iommu_groups").resolve(group).resolve("devices"));
        Files.createSymbolicLink(d.resolve("iommu_group"), Path.of("../../../kernel/iommu_groups/" + group));
        Files.createSymbolicLink(g.resolve(addr), d);
        return d;
    }

    private void rebind(String addr, String driver) throws Exception {
        Path link = sys.resolve("bus/pci/devices").resolve(addr).resolve("driver");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of("../../../bus/pci/drivers/" + driver));
    }

    @Test
    void ac_v1_allowlist_matches_vendor_wildcards_and_exact_ids_case_insensitively() {
        assertThatCode(() -> vfio.validateDevices(List.of(GPU), List.of("10DE:*"))).doesNotThrowAnyException();
        assertThatCode(() -> vfio.validateDevices(List.of(GPU), List.of("10de:2204"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> vfio.validateDevices(List.of(GPU), List.of("8086:*")))
                .hasMessage("device 0000:01:00.0 (10de:2204) not in allowlist");
        assertThatThrownBy(() -> vfio.validateDevices(List.of("0000:1:00.0"), List.of()))
                .hasMessage("invalid PCI address format: 0000:1:00.0 (expected format: 0000:01:00.0)");
        assertThatThrownBy(() -> vfio.validateDevices(List.of("0000:02:00.0"), List.of()))
                .hasMessage("PCI device not found: 0000:02:00.0");
    }

    @Test
    void ac_v2_bind_uses_driver_override_unbind_and_drivers_probe_and_unbind_restores() throws Exception {
        vfio.bindDevices(List.of(GPU));

        Path dev = sys.resolve("bus/pci/devices").resolve(GPU);
        assertThat(Files.readString(dev.resolve("driver_override"))).isEqualTo("vfio-pci");
        assertThat(Files.readString(sys.resolve("bus/pci/drivers/nvidia/unbind"))).isEqualTo(GPU);
        assertThat(Files.readString(sys.resolve("bus/pci/drivers_probe"))).isEqualTo(GPU);
        assertThat(vfio.originalDriver(GPU)).contains("nvidia");

        rebind(GPU, "vfio-pci"); // what the kernel does on drivers_probe
        assertThat(vfio.groupPaths(List.of(GPU))).containsExactly("/sys/bus/pci/devices/0000:01:00.0");

        Files.writeString(sys.resolve("bus/pci/drivers_probe"), "");
        vfio.unbindDevices(List.of(GPU));
        assertThat(Files.readString(sys.resolve("bus/pci/drivers/vfio-pci/unbind"))).isEqualTo(GPU);
        assertThat(Files.readString(dev.resolve("driver_override"))).isEqualTo("\n");
        assertThat(Files.readString(sys.resolve("bus/pci/drivers_probe"))).isEqualTo(GPU);
        assertThat(vfio.originalDriver(GPU)).isEmpty();
    }

    @Test
    void group_paths_refuse_a_device_not_bound_to_vfio() {
        assertThatThrownBy(() -> vfio.groupPaths(List.of(GPU)))
                .hasMessage("device 0000:01:00.0 is not bound to vfio-pci (current driver: nvidia)");
    }

    @Test
    void ac_v3_a_foreign_device_in_the_group_fails_but_a_pci_bridge_is_accepted() throws Exception {
        device("0000:00:01.0", "0x8086", "0x1901", "0x060400", "pcieport", "7");
        assertThatCode(() -> vfio.bindDevices(List.of(GPU))).doesNotThrowAnyException();

        device("0000:01:00.1", "0x10de", "0x1aef", "0x040300", "snd_hda_intel", "7");
        rebind(GPU, "nvidia");
        assertThatThrownBy(() -> vfio.bindDevices(List.of(GPU))).hasMessage("device 0000:01:00.0 shares IOMMU group 7 "
                + "with 0000:01:00.1 (driver snd_hda_intel); pass the whole group or unbind it");
        assertThatCode(() -> vfio.bindDevices(List.of(GPU, "0000:01:00.1"))).doesNotThrowAnyException();
    }

    @Test
    void ac_v4_a_second_vm_requesting_an_assigned_device_gets_a_conflict() {
        vfio.claim("gpu-1", List.of(GPU));

        assertThatThrownBy(() -> vfio.claim("gpu-2", List.of(GPU))).isInstanceOf(ConflictException.class)
                .hasMessage("device 0000:01:00.0 already assigned to vm gpu-1");
        vfio.release("gpu-1");
        assertThatCode(() -> vfio.claim("gpu-2", List.of(GPU))).doesNotThrowAnyException();
    }

    @Test
    void a_device_backing_an_up_host_interface_is_refused() throws Exception {
        Path iface = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(GPU).resolve("net/eth1"));
        Files.writeString(iface.resolve("operstate"), "up\n");

        assertThatThrownBy(() -> vfio.bindDevices(List.of(GPU)))
                .hasMessage("device 0000:01:00.0 is in use by the host (eth1)");
    }
}
