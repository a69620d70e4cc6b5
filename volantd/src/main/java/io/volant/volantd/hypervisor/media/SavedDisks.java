package io.volant.volantd.hypervisor.media;

import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The disk copies a launch staged under {@code <R>} (the writable rootfs copy, downloaded disks), saved with a
 * suspended VM's state and put back before its resume: staging makes fresh copies on every launch and removes them
 * on exit, but a resumed guest's page cache and file systems expect the disks it was suspended with. Disks used in
 * place (local paths) keep their content by themselves. Shared by the QEMU and Cloud Hypervisor backends.
 */
public final class SavedDisks {
    /** Disk indexes looked at; a manifest with more disks than this is not a realistic VM. */
    static final int MAX_DISKS = 64;

    private SavedDisks() {}

    /**
     * Copies the VM's staged disk copies into {@code stateDir}. Call while the guest is paused and the hypervisor
     * has flushed them (after a completed migration or snapshot).
     *
     * @return the files written
     * @throws HypervisorException when a copy fails
     */
    public static List<Path> save(HostPaths paths, Path stateDir) {
        List<Path> saved = new ArrayList<>();
        for (Path staged : staged(paths)) {
            Path dst = stateDir.resolve(staged.getFileName().toString());
            copy(staged, dst);
            saved.add(dst);
        }
        return saved;
    }

    /**
     * Puts the saved copies back over the freshly staged ones; a saved copy whose staged counterpart does not exist
     * (the media changed) is an error, since the guest would miss a disk it had. On failure the staged media are
     * removed.
     *
     * @throws HypervisorException when a copy fails or does not fit the staged media
     */
    public static void restore(HostPaths paths, Path stateDir, StagedMedia media) {
        try {
            putBack(paths, stateDir, media);
        } catch (RuntimeException e) {
            MediaStager.removeAll(media.files());
            throw e;
        }
    }

    private static void putBack(HostPaths paths, Path stateDir, StagedMedia media) {
        List<Path> staged = staged(paths);
        for (String name : savedNames(paths, stateDir)) {
            Path dst = paths.runtimeDir().resolve(name);
            if (!staged.contains(dst) || !media.files().contains(dst)) {
                throw new HypervisorException("resume vm " + paths.name() + ": saved disk " + name
                        + " has no counterpart in the staged media");
            }
            copy(stateDir.resolve(name), dst);
        }
    }

    /** The staged copies that exist now: rootfs, then disks by index. */
    private static List<Path> staged(HostPaths paths) {
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(paths.rootfs())) {
            out.add(paths.rootfs());
        }
        for (int i = 0; i < MAX_DISKS; i++) {
            if (Files.isRegularFile(paths.disk(i))) {
                out.add(paths.disk(i)); // downloaded; a local disk is used in place and has no copy here
            }
        }
        return out;
    }

    private static List<String> savedNames(HostPaths paths, Path stateDir) {
        List<String> out = new ArrayList<>();
        String rootfs = paths.rootfs().getFileName().toString();
        if (Files.isRegularFile(stateDir.resolve(rootfs))) {
            out.add(rootfs);
        }
        for (int i = 0; i < MAX_DISKS; i++) {
            String disk = paths.disk(i).getFileName().toString();
            if (Files.isRegularFile(stateDir.resolve(disk))) {
                out.add(disk);
            }
        }
        return out;
    }

    private static void copy(Path src, Path dst) {
        try {
            Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HypervisorException("copy disk " + src + " to " + dst + ": " + e.getMessage(), e);
        }
    }
}
