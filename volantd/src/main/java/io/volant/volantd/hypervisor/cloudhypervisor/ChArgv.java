package io.volant.volantd.hypervisor.cloudhypervisor;

import io.volant.volantd.hypervisor.LaunchSpec;
import io.volant.volantd.hypervisor.media.HostPaths;
import io.volant.volantd.hypervisor.media.StagedMedia;
import java.util.ArrayList;
import java.util.List;

/** The Cloud Hypervisor argv of host-runtime.md §3.4 (Chosen), as a pure function. */
public final class ChArgv {
    private ChArgv() {}

    /**
     * @param binary the CH binary as configured (first argv element)
     */
    public static List<String> build(String binary, LaunchSpec spec, HostPaths paths, StagedMedia media) {
        List<String> a = new ArrayList<>();
        a.add(binary);
        a.add("--api-socket");
        a.add("path=" + paths.apiSocket());
        a.add("--cpus");
        a.add("boot=" + spec.cpuCores());
        a.add("--memory");
        a.add("size=" + spec.memoryMb() + "M");
        a.add("--kernel");
        a.add(media.kernel().toString());
        a.add("--serial");
        a.add("socket=" + paths.serialSocket());
        a.add("--console");
        a.add("off");
        if (!spec.tapDevice().isBlank()) {
            a.add("--net");
            a.add("tap=" + spec.tapDevice() + ",mac=" + spec.macAddress());
        }
        a.add("--vsock");
        a.add("cid=" + spec.vsockCid() + ",socket=" + paths.vsockSocket());
        if (media.initramfs() != null) {
            a.add("--initramfs");
            a.add(media.initramfs().toString());
        }
        if (media.rootfs() != null) {
            a.add("--disk");
            a.add("path=" + media.rootfs() + ",readonly=false");
        }
        for (StagedMedia.AttachedDisk d : media.disks()) {
            a.add("--disk");
            a.add("path=" + d.path() + ",readonly=" + d.readonly());
        }
        if (media.seed() != null) {
            a.add("--disk");
            a.add("path=" + media.seed() + ",readonly=true");
        }
        if (media.agentImage() != null) { // last: the plugin's disks keep their names (a rootfs stays /dev/vda)
            a.addAll(media.agentImage().chArgs());
        }
        for (String dev : spec.vfioDevicePaths()) {
            if (!dev.isBlank()) {
                a.add("--device");
                a.add("path=" + stripSlash(dev.trim()));
            }
        }
        a.add("--cmdline");
        a.add(media.cmdline());
        return a;
    }

    /**
     * The argv of a resume: everything else comes from the snapshot's {@code config.json} ({@code --restore} excludes
     * the VM flags).
     */
    public static List<String> restore(String binary, HostPaths paths, java.nio.file.Path snapshot) {
        return List.of(binary, "--api-socket", "path=" + paths.apiSocket(), "--restore", "source_url=file://" + snapshot);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }
}
