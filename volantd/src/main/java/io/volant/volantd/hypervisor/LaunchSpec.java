package io.volant.volantd.hypervisor;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine hands a launcher for one boot (host-runtime.md §2.1, Java shape §2.2).
 *
 * @param name VM name; launchers derive file names from it
 * @param cpuCores vCPUs, &gt; 0
 * @param memoryMb memory in MiB, &gt; 0
 * @param kernelCmdline stored base line + user extras, without the {@code volant.*} arguments
 * @param kernelOverride host path of a kernel for this VM, "" = launcher default
 * @param tapDevice tap name, "" in vsock mode
 * @param macAddress guest MAC
 * @param ipAddress guest IPv4, "" in vsock/dhcp mode
 * @param gateway host IP
 * @param netmask dotted subnet mask
 * @param vsockCid the VM's CID (&ge; 3)
 * @param args the {@code volant.*} kernel arguments, appended sorted by key
 * @param rootfs rootfs URL/path, "" when none
 * @param rootfsChecksum its checksum, "" when none
 * @param rootfsFormat {@code qcow2} or {@code raw} (file-system formats count as raw)
 * @param initramfs initramfs URL/path, "" when none
 * @param initramfsChecksum its checksum
 * @param serialSocket absolute {@code <runtime_dir>/<name>.serial}
 * @param disks extra disks of the manifest, in order
 * @param seedDisk cloud-init seed, attached read-only last; null when no cloud-init applies
 * @param vfioDevicePaths sysfs device directories {@code /sys/bus/pci/devices/<addr>}
 */
public record LaunchSpec(
        String name,
        int cpuCores,
        int memoryMb,
        String kernelCmdline,
        String kernelOverride,
        String tapDevice,
        String macAddress,
        String ipAddress,
        String gateway,
        String netmask,
        long vsockCid,
        Map<String, String> args,
        String rootfs,
        String rootfsChecksum,
        String rootfsFormat,
        String initramfs,
        String initramfsChecksum,
        String serialSocket,
        List<Disk> disks,
        Disk seedDisk,
        List<String> vfioDevicePaths) {

    public static final String FORMAT_RAW = "raw";
    public static final String FORMAT_QCOW2 = "qcow2";

    public LaunchSpec {
        args = Map.copyOf(args);
        disks = List.copyOf(disks);
        vfioDevicePaths = List.copyOf(vfioDevicePaths);
    }

    /** This spec with one more {@code volant.*} argument. */
    public LaunchSpec withArg(String key, String value) {
        Map<String, String> a = new java.util.TreeMap<>(args);
        a.put(key, value);
        return toBuilder().args(a).build();
    }

    /**
     * This (template) spec as the clone {@code name}: the host-side values (name, tap, serial socket) are the
     * clone's, everything the guest sees stays the template's.
     */
    public LaunchSpec asClone(String cloneName, String cloneTap, String cloneSerial) {
        return toBuilder().name(cloneName).tapDevice(cloneTap).serialSocket(cloneSerial).build();
    }

    /** An empty builder: strings "", numbers 0, no args, disks, seed or devices, raw rootfs format. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.cpuCores = cpuCores;
        b.memoryMb = memoryMb;
        b.kernelCmdline = kernelCmdline;
        b.kernelOverride = kernelOverride;
        b.tapDevice = tapDevice;
        b.macAddress = macAddress;
        b.ipAddress = ipAddress;
        b.gateway = gateway;
        b.netmask = netmask;
        b.vsockCid = vsockCid;
        b.args = args;
        b.rootfs = rootfs;
        b.rootfsChecksum = rootfsChecksum;
        b.rootfsFormat = rootfsFormat;
        b.initramfs = initramfs;
        b.initramfsChecksum = initramfsChecksum;
        b.serialSocket = serialSocket;
        b.disks = disks;
        b.seedDisk = seedDisk;
        b.vfioDevicePaths = vfioDevicePaths;
        return b;
    }

    /** Builds a {@link LaunchSpec} by name: call sites say which value is which. */
    public static final class Builder {
        private String name = "";
        private int cpuCores = 0;
        private int memoryMb = 0;
        private String kernelCmdline = "";
        private String kernelOverride = "";
        private String tapDevice = "";
        private String macAddress = "";
        private String ipAddress = "";
        private String gateway = "";
        private String netmask = "";
        private long vsockCid = 0;
        private Map<String, String> args = Map.of();
        private String rootfs = "";
        private String rootfsChecksum = "";
        private String rootfsFormat = FORMAT_RAW;
        private String initramfs = "";
        private String initramfsChecksum = "";
        private String serialSocket = "";
        private List<Disk> disks = List.of();
        private Disk seedDisk = null;
        private List<String> vfioDevicePaths = List.of();

        private Builder() {}

        public Builder name(String v) { name = v; return this; }
        public Builder cpuCores(int v) { cpuCores = v; return this; }
        public Builder memoryMb(int v) { memoryMb = v; return this; }
        public Builder kernelCmdline(String v) { kernelCmdline = v; return this; }
        public Builder kernelOverride(String v) { kernelOverride = v; return this; }
        public Builder tapDevice(String v) { tapDevice = v; return this; }
        public Builder macAddress(String v) { macAddress = v; return this; }
        public Builder ipAddress(String v) { ipAddress = v; return this; }
        public Builder gateway(String v) { gateway = v; return this; }
        public Builder netmask(String v) { netmask = v; return this; }
        public Builder vsockCid(long v) { vsockCid = v; return this; }
        public Builder args(Map<String, String> v) { args = v; return this; }
        public Builder rootfs(String v) { rootfs = v; return this; }
        public Builder rootfsChecksum(String v) { rootfsChecksum = v; return this; }
        public Builder rootfsFormat(String v) { rootfsFormat = v; return this; }
        public Builder initramfs(String v) { initramfs = v; return this; }
        public Builder initramfsChecksum(String v) { initramfsChecksum = v; return this; }
        public Builder serialSocket(String v) { serialSocket = v; return this; }
        public Builder disks(List<Disk> v) { disks = v; return this; }
        public Builder seedDisk(Disk v) { seedDisk = v; return this; }
        public Builder vfioDevicePaths(List<String> v) { vfioDevicePaths = v; return this; }

        public LaunchSpec build() {
            return new LaunchSpec(name, cpuCores, memoryMb, kernelCmdline, kernelOverride, tapDevice, macAddress,
                    ipAddress, gateway, netmask, vsockCid, args, rootfs, rootfsChecksum, rootfsFormat, initramfs,
                    initramfsChecksum, serialSocket, disks, seedDisk, vfioDevicePaths);
        }
    }

    /**
     * One block device.
     *
     * @param name disk name ({@code seed} for the cloud-init seed)
     * @param path source path or URL
     * @param checksum carried, never verified by the launcher
     * @param format {@code raw} or {@code qcow2}
     * @param readonly attach read-only
     */
    public record Disk(String name, String path, String checksum, String format, boolean readonly) {}
}
