package io.volant.volantd.hypervisor.media;

import java.nio.file.Path;
import java.util.List;

/**
 * The boot media of one launch, staged under {@code <R>} (host-runtime.md §3.2-§3.3).
 *
 * @param kernel    staged kernel copy
 * @param initramfs staged initramfs (module archive + plugin or base initramfs), null when none
 * @param rootfs    writable rootfs copy, null when none
 * @param rootfsFormat {@code raw} or {@code qcow2}
 * @param disks     manifest disks to attach, in order
 * @param seed      cloud-init seed, null when none
 * @param agentImage the shared read-only agent disk, attached after every other disk; null when none
 * @param cmdline   the final kernel command line (§3.5), length-checked
 * @param files     every file staging created, removed on every exit
 */
public record StagedMedia(Path kernel, Path initramfs, Path rootfs, String rootfsFormat, List<AttachedDisk> disks,
        Path seed, AgentImage agentImage, String cmdline, List<Path> files) {

    public StagedMedia {
        disks = List.copyOf(disks);
        files = List.copyOf(files);
    }

    /** One disk as the hypervisor sees it. */
    public record AttachedDisk(Path path, String format, boolean readonly) {}
}
