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
        return new LaunchSpec(name, cpuCores, memoryMb, kernelCmdline, kernelOverride, tapDevice, macAddress, ipAddress,
                gateway, netmask, vsockCid, a, rootfs, rootfsChecksum, rootfsFormat, initramfs, initramfsChecksum,
                serialSocket, disks, seedDisk, vfioDevicePaths);
    }

    /**
     * This (template) spec as the clone {@code name}: the host-side values (name, tap, serial socket) are the
     * clone's, everything the guest sees stays the template's.
     */
    public LaunchSpec asClone(String cloneName, String cloneTap, String cloneSerial) {
        return new LaunchSpec(cloneName, cpuCores, memoryMb, kernelCmdline, kernelOverride, cloneTap, macAddress,
                ipAddress, gateway, netmask, vsockCid, args, rootfs, rootfsChecksum, rootfsFormat, initramfs,
                initramfsChecksum, cloneSerial, disks, seedDisk, vfioDevicePaths);
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
