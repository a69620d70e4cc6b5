package io.volant.volantd.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.manifest.Checksums;
import io.volant.volantd.hypervisor.cloudhypervisor.ChArgv;
import io.volant.volantd.hypervisor.media.AgentImage;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.StagedMedia;
import io.volant.volantd.hypervisor.qemu.QemuArgv;
import io.volant.volantd.hypervisor.qemu.QemuOptions;
import io.volant.volantd.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared read-only agent disk in both launchers' argv: last of the disks, so the plugin's keep their names. */
class AgentDiskArgvTest {
    private static final Path R = Path.of("/var/lib/volant/run");
    private static final HostPaths WEB = new HostPaths(R, Path.of("/var/log/volant"), "web");
    private static final AgentImage AGENT = new AgentImage(Path.of("/srv/volant/agent-bundle.img"));

    private static LaunchSpec rootfsSpec() {
        return Specs.with(Specs.acL1(""), "vttap-web", "/srv/rootfs.img",
                List.of(new LaunchSpec.Disk("a", "/data/a.img", "", "raw", true)),
                new LaunchSpec.Disk("seed", "/r/seed.img", "", "raw", true), List.of(), Specs.args("rootfs", true));
    }

    private static StagedMedia media(AgentImage agent) {
        return new StagedMedia(R.resolve("web.vmlinux"), R.resolve("web.initramfs"), R.resolve("web.rootfs"), "raw",
                List.of(new StagedMedia.AttachedDisk(Path.of("/data/a.img"), "raw", true)), Path.of("/r/seed.img"),
                agent, "console=ttyS0", List.of());
    }

    @Test
    void qemu_attaches_the_agent_disk_read_only_with_its_serial_after_rootfs_disks_and_seed() {
        List<String> argv = QemuArgv.build(new QemuOptions("qemu-system-x86_64", "q35", false, false, false),
                rootfsSpec(), WEB, media(AGENT));

        List<String> tail = argv.subList(argv.indexOf("virtio-net-pci,netdev=net0,mac=02:f9:e8:54:fb:c4") + 1,
                argv.size());
        assertThat(tail).containsExactly(
                "-drive", "file=/var/lib/volant/run/web.rootfs,if=none,id=root,format=raw,readonly=off",
                "-device", "virtio-blk-pci,drive=root",
                "-drive", "file=/data/a.img,if=none,id=disk0,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=disk0",
                "-drive", "file=/r/seed.img,if=none,id=seed,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=seed",
                "-drive", "file=/srv/volant/agent-bundle.img,if=none,id=agent,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=agent,serial=volant-agent");
    }

    @Test
    void qemu_microvm_uses_the_mmio_block_device_for_the_agent_disk() {
        List<String> argv = QemuArgv.build(new QemuOptions("qemu-system-x86_64", "microvm", false, false, false),
                rootfsSpec(), WEB, media(AGENT));

        assertThat(argv).containsSequence("-device", "virtio-blk-device,drive=agent,serial=volant-agent");
    }

    @Test
    void without_an_agent_image_no_agent_disk_is_attached() {
        List<String> qemu = QemuArgv.build(new QemuOptions("qemu-system-x86_64", "q35", false, false, false),
                rootfsSpec(), WEB, media(null));
        List<String> ch = ChArgv.build("cloud-hypervisor", rootfsSpec(), WEB, media(null));

        assertThat(String.join(" ", qemu)).doesNotContain("volant-agent").doesNotContain("id=agent");
        assertThat(String.join(" ", ch)).doesNotContain("volant-agent");
    }

    @Test
    void cloud_hypervisor_attaches_the_agent_disk_read_only_with_its_serial_as_the_last_disk() {
        List<String> argv = ChArgv.build("cloud-hypervisor", rootfsSpec(), WEB, media(AGENT));

        int first = argv.indexOf("--disk");
        assertThat(argv.subList(first, first + 8)).containsExactly(
                "--disk", "path=/var/lib/volant/run/web.rootfs,readonly=false",
                "--disk", "path=/data/a.img,readonly=true",
                "--disk", "path=/r/seed.img,readonly=true",
                "--disk", "path=/srv/volant/agent-bundle.img,readonly=true,serial=volant-agent");
        assertThat(argv.get(first + 8)).isEqualTo("--cmdline");
    }

    @Test
    void the_digest_is_the_images_sha256_and_follows_a_rebuild(@TempDir Path dir) throws Exception {
        Path img = dir.resolve("agent.img");
        Files.writeString(img, "hsqs first build");
        AgentImage agent = new AgentImage(img);
        assertThat(agent.digest()).isEqualTo(Checksums.sha256Hex("hsqs first build".getBytes()));

        Path rebuilt = dir.resolve("agent.img.tmp");
        Files.writeString(rebuilt, "hsqs the second build");
        Files.move(rebuilt, img, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(agent.digest()).isEqualTo(Checksums.sha256Hex("hsqs the second build".getBytes()));
    }

    @Test
    void a_missing_image_is_a_hypervisor_error_naming_it(@TempDir Path dir) {
        AgentImage agent = new AgentImage(dir.resolve("gone.img"));

        assertThatThrownBy(agent::digest).isInstanceOf(HypervisorException.class)
                .hasMessageStartingWith("agent image " + dir.resolve("gone.img"));
    }
}
