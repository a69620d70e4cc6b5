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
    /** The identity channel's virtio-serial port name (docs/templates.md). */
    public static final String IDENTITY_PORT = "io.volant.identity";

    private QemuArgv() {}

    /**
     * How guest RAM is backed. A template's RAM is a shared file and its NIC sits on a host-side hub (it never
     * configures its network, and a hub needs no tap); a clone maps the template's file privately (copy-on-write)
     * and waits for its device state ({@code -incoming defer}). Everything guest-visible stays the same.
     *
     * @param ramFile RAM file, null for anonymous memory (a cold boot)
     * @param share   {@code share=on} (template) or off (clone)
     * @param incoming add {@code -incoming defer}
     * @param hubNic  back the NIC with a hub port instead of the tap
     * @param ramBackend without a RAM file: anonymous memory as the backend {@code mem} (memory-backend-ram), the
     *                   RAM block a suspended clone's state names
     */
    public record Boot(Path ramFile, boolean share, boolean incoming, boolean hubNic, boolean ramBackend) {
        public static final Boot COLD = new Boot(null, false, false, false, false);

        public static Boot template(Path ram) {
            return new Boot(ram, true, false, true, false);
        }

        public static Boot clone(Path ram) {
            return new Boot(ram, false, true, false, false);
        }

        /**
         * The resume of a suspended VM: the cold boot's devices waiting for the state; {@code backend} when the VM
         * had its RAM in the backend {@code mem} (a clone), whose block name the state carries.
         */
        public static Boot resume(boolean backend) {
            return new Boot(null, false, true, false, backend);
        }
    }

    public static List<String> build(QemuOptions o, LaunchSpec spec, HostPaths paths, StagedMedia media) {
        return build(o, spec, paths, media, Boot.COLD);
    }

    public static List<String> build(QemuOptions o, LaunchSpec spec, HostPaths paths, StagedMedia media, Boot boot) {
        boolean mmio = o.microvm();
        String net = mmio ? "virtio-net-device" : "virtio-net-pci";
        String blk = mmio ? "virtio-blk-device" : "virtio-blk-pci";
        List<String> a = new ArrayList<>();
        a.add(o.binary());
        add(a, "-name", spec.name());
        boolean backend = boot.ramFile() != null || boot.ramBackend();
        add(a, "-machine", backend ? o.machine() + ",memory-backend=mem" : o.machine());
        add(a, "-accel", o.accel());
        add(a, "-cpu", o.kvm() ? "host" : "max");
        add(a, "-smp", Integer.toString(spec.cpuCores()));
        add(a, "-m", Integer.toString(spec.memoryMb()));
        if (boot.ramFile() != null) {
            add(a, "-object", "memory-backend-file,id=mem,size=" + spec.memoryMb() + "M,mem-path=" + boot.ramFile()
                    + ",share=" + (boot.share() ? "on" : "off"));
        } else if (boot.ramBackend()) {
            add(a, "-object", "memory-backend-ram,id=mem,size=" + spec.memoryMb() + "M");
        }
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
        // Every VM has the identity port, cold boots too: one guest code path, and clones need the same devices.
        add(a, "-device", (mmio ? "virtio-serial-device" : "virtio-serial-pci") + ",id=vser0");
        add(a, "-chardev", "socket,id=ident0,path=" + paths.identitySocket() + ",server=on,wait=off");
        add(a, "-device", "virtserialport,bus=vser0.0,chardev=ident0,name=" + IDENTITY_PORT);
        if (boot.hubNic()) {
            add(a, "-netdev", "hubport,id=net0,hubid=0");
            add(a, "-device", net + ",netdev=net0,mac=" + spec.macAddress());
        } else if (!spec.tapDevice().isBlank()) {
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
        if (media.agentImage() != null) { // last: the plugin's disks keep their names (a rootfs stays /dev/vda)
            a.addAll(media.agentImage().qemuArgs(blk));
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
        if (boot.incoming()) {
            add(a, "-incoming", "defer");
        }
        return a;
    }

    private static void add(List<String> a, String opt, String value) {
        a.add(opt);
        a.add(value);
    }
}
