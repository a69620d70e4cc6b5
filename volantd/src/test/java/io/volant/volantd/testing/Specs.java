package io.volant.volantd.testing;

import io.volant.manifest.KernelCmdline;
import io.volant.volantd.hypervisor.LaunchSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** LaunchSpecs of host-runtime.md §10 (AC-L1 and friends). */
public final class Specs {
    public static final String MANIFEST = "H4sIAAAAAAAA_6tWKkotLs0pUbJSSi4sTSxKSS1Ssqo";

    private Specs() {}

    /** AC-L1: VM web, 1 CPU, 512 MB, bridged, 192.168.127.10, vttap-web, CID 3, plugin caddy. */
    public static LaunchSpec acL1(String initramfs) {
        return LaunchSpec.builder().name("web").cpuCores(1).memoryMb(512)
                .kernelCmdline(KernelCmdline.base("bridged", "192.168.127.10", "192.168.127.1", "255.255.255.0", "web"))
                .tapDevice("vttap-web").macAddress("02:f9:e8:54:fb:c4").ipAddress("192.168.127.10")
                .gateway("192.168.127.1").netmask("255.255.255.0").vsockCid(3).args(args("initramfs", false))
                .initramfs(initramfs).serialSocket("/var/lib/volant/run/web.serial").build();
    }

    public static Map<String, String> args(String boot, boolean rootfs) {
        Map<String, String> a = new TreeMap<>();
        a.put("volant.api_host", "192.168.127.1");
        a.put("volant.api_port", "7777");
        a.put("volant.boot", boot);
        a.put("volant.manifest", MANIFEST);
        a.put("volant.plugin", "caddy");
        a.put("volant.runtime", "caddy");
        if (rootfs) {
            a.put("volant.rootfs_device", "vda");
            a.put("volant.rootfs_fstype", "ext4");
        }
        return a;
    }

    public static LaunchSpec with(LaunchSpec s, String tap, String rootfs, List<LaunchSpec.Disk> disks,
            LaunchSpec.Disk seed, List<String> vfio, Map<String, String> args) {
        return s.toBuilder().tapDevice(tap).rootfs(rootfs).disks(disks).seedDisk(seed).vfioDevicePaths(vfio).args(args)
                .build();
    }
}
