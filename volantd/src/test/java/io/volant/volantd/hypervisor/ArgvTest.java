package io.volant.volantd.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.manifest.KernelCmdline;
import io.volant.volantd.hypervisor.cloudhypervisor.ChArgv;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.StagedMedia;
import io.volant.volantd.hypervisor.qemu.QemuArgv;
import io.volant.volantd.hypervisor.qemu.QemuOptions;
import io.volant.volantd.testing.Specs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact argv lists of host-runtime.md §10 AC-L1..L3 and AC-Q1, from the pure builders. */
class ArgvTest {
    private static final Path R = Path.of("/var/lib/volant/run");
    private static final HostPaths WEB = new HostPaths(R, Path.of("/var/log/volant"), "web");
    private static final String M = Specs.MANIFEST;
    private static final String CMDLINE = "console=ttyS0 reboot=k panic=1 quiet loglevel=1 i8042.noaux i8042.nokbd "
            + "pci=lastbus=0 ip=192.168.127.10::192.168.127.1:255.255.255.0:web:eth0:off volant.api_host=192.168.127.1 "
            + "volant.api_port=7777 volant.boot=initramfs volant.manifest=" + M + " volant.plugin=caddy "
            + "volant.runtime=caddy";

    private static StagedMedia media(LaunchSpec spec, boolean rootfs, List<StagedMedia.AttachedDisk> disks, Path seed) {
        return new StagedMedia(R.resolve("web.vmlinux"), R.resolve("web.initramfs"),
                rootfs ? R.resolve("web.rootfs") : null, "raw", disks, seed, null,
                KernelCmdline.build(spec.kernelCmdline(), "", spec.args()), List.of());
    }

    @Test
    void ac_l1_bridged_initramfs_vm_gets_the_exact_cloud_hypervisor_argv() {
        LaunchSpec spec = Specs.acL1("/srv/caddy.cpio.gz");
        List<String> argv = ChArgv.build("cloud-hypervisor", spec, WEB, media(spec, false, List.of(), null));

        assertThat(argv).containsExactly("cloud-hypervisor", "--api-socket", "path=/var/lib/volant/run/web.sock",
                "--cpus", "boot=1", "--memory", "size=512M", "--kernel", "/var/lib/volant/run/web.vmlinux",
                "--serial", "socket=/var/lib/volant/run/web.serial", "--console", "off", "--net",
                "tap=vttap-web,mac=02:f9:e8:54:fb:c4", "--vsock", "cid=3,socket=/var/lib/volant/run/web.vsock",
                "--initramfs", "/var/lib/volant/run/web.initramfs", "--cmdline", CMDLINE);
    }

    @Test
    void ac_l2_rootfs_disk_and_seed_follow_the_initramfs_in_order() {
        LaunchSpec base = Specs.acL1("/srv/caddy.cpio.gz");
        LaunchSpec spec = Specs.with(base, "vttap-web", "/srv/rootfs.img",
                List.of(new LaunchSpec.Disk("a", "/data/a.img", "", "raw", true)),
                new LaunchSpec.Disk("seed", "/var/lib/volant/run/cloudinit/web-seed.img", "", "raw", true), List.of(),
                Specs.args("rootfs", true));
        StagedMedia m = media(spec, true, List.of(new StagedMedia.AttachedDisk(Path.of("/data/a.img"), "raw", true)),
                Path.of("/var/lib/volant/run/cloudinit/web-seed.img"));
        List<String> argv = ChArgv.build("cloud-hypervisor", spec, WEB, m);

        int i = argv.indexOf("/var/lib/volant/run/web.initramfs");
        assertThat(argv.subList(i + 1, i + 7)).containsExactly(
                "--disk", "path=/var/lib/volant/run/web.rootfs,readonly=false",
                "--disk", "path=/data/a.img,readonly=true",
                "--disk", "path=/var/lib/volant/run/cloudinit/web-seed.img,readonly=true");
        assertThat(argv.getLast()).endsWith("volant.api_host=192.168.127.1 volant.api_port=7777 volant.boot=rootfs "
                + "volant.manifest=" + M + " volant.plugin=caddy volant.rootfs_device=vda volant.rootfs_fstype=ext4 "
                + "volant.runtime=caddy");
    }

    @Test
    void ac_l3_vsock_vm_has_no_net_but_the_vsock_pair_and_vfio_devices_precede_the_cmdline() {
        LaunchSpec spec = Specs.with(Specs.acL1("/srv/caddy.cpio.gz"), "", "", List.of(), null,
                List.of("/sys/bus/pci/devices/0000:01:00.0/"), Specs.args("initramfs", false));
        List<String> argv = ChArgv.build("cloud-hypervisor", spec, WEB, media(spec, false, List.of(), null));

        assertThat(argv).doesNotContain("--net");
        assertThat(argv).containsSequence("--vsock", "cid=3,socket=/var/lib/volant/run/web.vsock");
        assertThat(argv.get(argv.size() - 4)).isEqualTo("--device");
        assertThat(argv.get(argv.size() - 3)).isEqualTo("path=/sys/bus/pci/devices/0000:01:00.0");
        assertThat(argv.get(argv.size() - 2)).isEqualTo("--cmdline");
    }

    @Test
    void ac_q1_qemu_tcg_argv_is_exact() {
        LaunchSpec spec = Specs.acL1("/srv/caddy.cpio.gz");
        List<String> argv = QemuArgv.build(new QemuOptions("qemu-system-x86_64", "q35", false, false, false), spec,
                WEB, media(spec, false, List.of(), null));

        assertThat(argv).containsExactly("qemu-system-x86_64", "-name", "web", "-machine", "q35", "-accel", "tcg",
                "-cpu", "max", "-smp", "1", "-m", "512", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-kernel", "/var/lib/volant/run/web.vmlinux", "-initrd",
                "/var/lib/volant/run/web.initramfs", "-append", CMDLINE, "-chardev",
                "socket,id=serial0,path=/var/lib/volant/run/web.serial,server=on,wait=off", "-serial",
                "chardev:serial0", "-chardev", "socket,id=qmp0,path=/var/lib/volant/run/web.qmp,server=on,wait=off",
                "-mon", "chardev=qmp0,mode=control", "-device", "virtio-serial-pci,id=vser0", "-chardev",
                "socket,id=ident0,path=/var/lib/volant/run/web.ident,server=on,wait=off", "-device",
                "virtserialport,bus=vser0.0,chardev=ident0,name=io.volant.identity",
                "-netdev", "tap,id=net0,ifname=vttap-web,script=no,downscript=no",
                "-device", "virtio-net-pci,netdev=net0,mac=02:f9:e8:54:fb:c4");
    }

    @Test
    void qemu_template_has_a_shared_ram_file_and_a_hub_nic_and_a_clone_maps_it_privately_and_waits_incoming() {
        LaunchSpec spec = Specs.acL1("/srv/caddy.cpio.gz");
        QemuOptions o = new QemuOptions("qemu-system-x86_64", "q35", false, false, false);
        StagedMedia m = media(spec, false, List.of(), null);
        List<String> tpl = QemuArgv.build(o, spec, WEB, m, QemuArgv.Boot.template(Path.of("/run/t/tpl-1.ram")));
        List<String> clone = QemuArgv.build(o, spec, WEB, m, QemuArgv.Boot.clone(Path.of("/run/t/tpl-1.ram")));

        assertThat(tpl).containsSequence("-machine", "q35,memory-backend=mem")
                .containsSequence("-object", "memory-backend-file,id=mem,size=512M,mem-path=/run/t/tpl-1.ram,share=on")
                .containsSequence("-netdev", "hubport,id=net0,hubid=0", "-device",
                        "virtio-net-pci,netdev=net0,mac=02:f9:e8:54:fb:c4")
                .doesNotContain("-incoming");
        assertThat(clone).containsSequence("-machine", "q35,memory-backend=mem")
                .containsSequence("-object", "memory-backend-file,id=mem,size=512M,mem-path=/run/t/tpl-1.ram,share=off")
                .contains("tap,id=net0,ifname=vttap-web,script=no,downscript=no")
                .endsWith("-incoming", "defer");
        // Same guest-visible devices: only the NIC's host backend and the RAM sharing differ.
        assertThat(devices(tpl)).isEqualTo(devices(clone));
    }

    private static List<String> devices(List<String> argv) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals("-device")) {
                out.add(argv.get(i + 1));
            }
        }
        return out;
    }

    @Test
    void qemu_with_kvm_uses_host_cpu_vhost_and_orders_rootfs_disks_seed_vsock() {
        LaunchSpec spec = Specs.with(Specs.acL1(""), "vttap-web", "/srv/rootfs.img",
                List.of(new LaunchSpec.Disk("a", "/data/a.img", "", "qcow2", false)),
                new LaunchSpec.Disk("seed", "/r/seed.img", "", "raw", true), List.of(), Specs.args("rootfs", true));
        StagedMedia m = media(spec, true, List.of(new StagedMedia.AttachedDisk(Path.of("/data/a.img"), "qcow2",
                false)), Path.of("/r/seed.img"));
        List<String> argv = QemuArgv.build(new QemuOptions("qemu-system-x86_64", "q35", true, true, true), spec, WEB,
                m);

        assertThat(argv).containsSequence("-accel", "kvm", "-cpu", "host");
        assertThat(argv).contains("tap,id=net0,ifname=vttap-web,script=no,downscript=no,vhost=on");
        List<String> tail = new ArrayList<>(argv.subList(argv.indexOf("virtio-net-pci,netdev=net0,mac=02:f9:e8:54:fb:c4")
                + 1, argv.size()));
        assertThat(tail).containsExactly(
                "-drive", "file=/var/lib/volant/run/web.rootfs,if=none,id=root,format=raw,readonly=off",
                "-device", "virtio-blk-pci,drive=root",
                "-drive", "file=/data/a.img,if=none,id=disk0,format=qcow2,readonly=off",
                "-device", "virtio-blk-pci,drive=disk0",
                "-drive", "file=/r/seed.img,if=none,id=seed,format=raw,readonly=on",
                "-device", "virtio-blk-pci,drive=seed",
                "-device", "vhost-vsock-pci,guest-cid=3");
    }

    @Test
    void qemu_refuses_vfio_without_kvm() {
        LaunchSpec spec = Specs.with(Specs.acL1(""), "vttap-web", "", List.of(), null,
                List.of("/sys/bus/pci/devices/0000:01:00.0"), Specs.args("initramfs", false));
        assertThatThrownBy(() -> QemuArgv.build(new QemuOptions("q", "q35", false, false, false), spec, WEB,
                media(spec, false, List.of(), null))).hasMessage("VFIO passthrough requires KVM");
    }

    @Test
    void socket_paths_longer_than_107_bytes_are_refused() {
        HostPaths p = new HostPaths(Path.of("/tmp/" + "d".repeat(90)), Path.of("/tmp"), "web-long-name");
        assertThatThrownBy(() -> HostPaths.checkSocket(p.serialSocket()))
                .hasMessageStartingWith("socket path too long (").hasMessageEndingWith(p.serialSocket().toString());
    }

    @Test
    void vm_names_with_a_slash_or_dot_dot_are_refused() {
        assertThatThrownBy(() -> new HostPaths(R, R, "../etc")).hasMessageContaining("invalid vm name");
        assertThatThrownBy(() -> new HostPaths(R, R, "..")).hasMessageContaining("invalid vm name");
    }
}
