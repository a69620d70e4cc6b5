package io.volant.volantd.hypervisor.qemu;

import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.StagedMedia;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The QEMU argv of host-runtime.md §9.2-§9.3, as a pure function. */
public final class QemuArgv {
    private QemuArgv() {}

    public static List<String> build(QemuOptions o, LaunchSpec spec, HostPaths paths, StagedMedia media) {
        boolean mmio = o.microvm();
        String net = mmio ? "virtio-net-device" : "virtio-net-pci";
        String blk = mmio ? "virtio-blk-device" : "virtio-blk-pci";
        List<String> a = new ArrayList<>();
        a.add(o.binary());
        add(a, "-name", spec.name());
        add(a, "-machine", o.machine());
        add(a, "-accel", o.accel());
        add(a, "-cpu", o.kvm() ? "host" : "max");
        add(a, "-smp", Integer.toString(spec.cpuCores()));
        add(a, "-m", Integer.toString(spec.memoryMb()));
        a.add("-nodefaults");
        a.add("-no-user-config");
        add(a, "-display", "none");
        a.add("-no-reboot");
        add(a, "-kernel", media.kernel().toString());
        if (media.initramfs() != null) {
            add(a, "-initrd", media.initramfs().toString());
        }
        add(a, "-append", media.cmdline());
        add(a, "-chardev", "socket,id=serial0,path=" + paths.serialSocket() + ",server=on,wait=off");
        add(a, "-serial", "chardev:serial0");
        add(a, "-chardev", "socket,id=qmp0,path=" + paths.qmpSocket() + ",server=on,wait=off");
        add(a, "-mon", "chardev=qmp0,mode=control");
        if (!spec.tapDevice().isBlank()) {
            add(a, "-netdev", "tap,id=net0,ifname=" + spec.tapDevice() + ",script=no,downscript=no"
                    + (o.kvm() && o.vhostNet() ? ",vhost=on" : ""));
            add(a, "-device", net + ",netdev=net0,mac=" + spec.macAddress());
        }
        if (media.rootfs() != null) {
            add(a, "-drive", "file=" + media.rootfs() + ",if=none,id=root,format=" + media.rootfsFormat()
                    + ",readonly=off");
            add(a, "-device", blk + ",drive=root");
        }
        for (int i = 0; i < media.disks().size(); i++) {
            StagedMedia.AttachedDisk d = media.disks().get(i);
            add(a, "-drive", "file=" + d.path() + ",if=none,id=disk" + i + ",format=" + d.format() + ",readonly="
                    + (d.readonly() ? "on" : "off"));
            add(a, "-device", blk + ",drive=disk" + i);
        }
        if (media.seed() != null) {
            add(a, "-drive", "file=" + media.seed() + ",if=none,id=seed,format=raw,readonly=on");
            add(a, "-device", blk + ",drive=seed");
        }
        if (o.vhostVsock()) {
            add(a, "-device", (mmio ? "vhost-vsock-device" : "vhost-vsock-pci") + ",guest-cid=" + spec.vsockCid());
        }
        for (String dev : spec.vfioDevicePaths()) {
            if (dev.isBlank()) {
                continue;
            }
            if (!o.kvm() || mmio) {
                throw new HypervisorException("VFIO passthrough requires KVM");
            }
            add(a, "-device", "vfio-pci,host=" + Path.of(dev.trim()).getFileName());
        }
        return a;
    }

    private static void add(List<String> a, String opt, String value) {
        a.add(opt);
        a.add(value);
    }
}
