package io.volant.kestrel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VirtioIdentityPortTest {
    @TempDir
    Path sys;

    @Test
    void the_port_is_found_by_its_sysfs_name_without_udev_links() throws Exception {
        Files.createDirectories(sys.resolve("vport0p0"));
        Files.writeString(sys.resolve("vport0p0/name"), "org.qemu.guest_agent.0\n");
        Files.createDirectories(sys.resolve("vport1p1"));
        Files.writeString(sys.resolve("vport1p1/name"), "io.volant.identity\n");

        assertThat(VirtioIdentityPort.find(sys, Path.of("/dev"), VirtioIdentityPort.NAME))
                .contains(Path.of("/dev/vport1p1"));
    }

    @Test
    void no_port_of_that_name_or_no_virtio_ports_class_is_empty() throws Exception {
        Files.createDirectories(sys.resolve("vport0p0"));
        Files.writeString(sys.resolve("vport0p0/name"), "other\n");

        assertThat(VirtioIdentityPort.find(sys, Path.of("/dev"), VirtioIdentityPort.NAME)).isEmpty();
        assertThat(VirtioIdentityPort.find(sys.resolve("absent"), Path.of("/dev"), VirtioIdentityPort.NAME)).isEmpty();
    }
}
