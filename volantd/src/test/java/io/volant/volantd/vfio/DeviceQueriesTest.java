package io.volant.volantd.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host-runtime.md §6.1/§6.3 device info and IOMMU groups over a fake sysfs tree. */
class DeviceQueriesTest {
    @TempDir
    Path root;
    FakeSysfs sysfs;
    SysfsVfioManager vfio;

    @BeforeEach
    void tree() throws Exception {
        sysfs = new FakeSysfs(root);
        sysfs.device("0000:01:00.0", "0x10DE", "0x2204", "nvidia", "12", "1");
        sysfs.device("0000:01:00.1", "0x10de", "0x1aef", "snd_hda_intel", "12", null);
        sysfs.device("0000:02:00.0", "0x8086", "0x1533", null, "3", "0");
        sysfs.device("0000:03:00.0", "0x8086", "0x1533", null, null, "0");
        vfio = sysfs.manager();
    }

    @Test
    void info_reads_ids_without_0x_in_lower_case_with_driver_group_and_numa_node() {
        assertThat(vfio.info("0000:01:00.0")).isEqualTo(new VfioDevice("0000:01:00.0", "10de", "2204", "nvidia", "12", "1"));
    }

    @Test
    void info_shows_no_driver_as_empty_and_an_unreadable_numa_node_as_minus_one() {
        assertThat(vfio.info("0000:01:00.1").numaNode()).isEqualTo("-1");
        assertThat(vfio.info("0000:02:00.0").driver()).isEmpty();
        assertThat(vfio.info("0000:03:00.0").iommuGroup()).isEmpty();
    }

    @Test
    void info_of_a_missing_device_names_it() {
        assertThatThrownBy(() -> vfio.info("0000:09:00.0")).isInstanceOf(VfioException.class)
                .hasMessage("device not found: 0000:09:00.0");
    }

    @Test
    void groups_collect_the_requested_devices_sorted_by_numeric_id() {
        assertThat(vfio.iommuGroups(List.of("0000:01:00.0", "0000:02:00.0", "0000:01:00.1"))).containsExactly(
                new IommuGroup("3", List.of("0000:02:00.0")),
                new IommuGroup("12", List.of("0000:01:00.0", "0000:01:00.1")));
    }

    @Test
    void a_device_without_iommu_group_is_an_error_naming_it() {
        assertThatThrownBy(() -> vfio.iommuGroups(List.of("0000:03:00.0")))
                .hasMessage("device 0000:03:00.0 has no IOMMU group (IOMMU may not be enabled)");
    }
}
