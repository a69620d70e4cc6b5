package io.volant.volantd.hypervisor.media;

import io.volant.volantd.hypervisor.KernelCommandLine;
import io.volant.volantd.hypervisor.HypervisorException;
import io.volant.volantd.hypervisor.LaunchSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stages everything a launch needs (host-runtime.md §3.2, §3.3 Chosen, §3.5, §9.6): kernel by the Chosen order,
 * initramfs (module archive in front of the plugin's or the base initramfs), writable rootfs copy, disks, and the
 * length-checked command line. On failure everything staged so far is removed. Shared by both real backends.
 */
public final class MediaStager {
    private static final Logger LOG = LoggerFactory.getLogger(MediaStager.class);

    private final MediaSettings settings;
    private final ArtifactStore artifacts;
    private final AgentImage agentImage;

    public MediaStager(MediaSettings settings, ArtifactStore artifacts) {
        this.settings = settings;
        this.artifacts = artifacts;
        this.agentImage = settings.agentImage() == null ? null : new AgentImage(settings.agentImage());
    }

    /** The agent disk every VM gets, empty when there is none (the guests' boot media must then bring kestrel). */
    public java.util.Optional<AgentImage> agentImage() {
        return java.util.Optional.ofNullable(agentImage);
    }

    /** The kernel source and whether it embeds the base initramfs (only the bzImage of step 3 does). */
    public record KernelChoice(Path source, boolean embedsBaseInitramfs) {}

    /** §3.2 Chosen kernel order. */
    public KernelChoice chooseKernel(String kernelOverride) {
        String override = kernelOverride == null ? "" : kernelOverride.trim();
        if (!override.isEmpty()) {
            return new KernelChoice(artifacts.localSource(override), false);
        }
        if (settings.guestKernel() != null) {
            return new KernelChoice(settings.guestKernel(), false);
        }
        if (settings.kernelBzImage() != null && Files.isRegularFile(settings.kernelBzImage())) {
            return new KernelChoice(settings.kernelBzImage(), true);
        }
        if (settings.kernelVmlinux() != null && Files.isRegularFile(settings.kernelVmlinux())) {
            return new KernelChoice(settings.kernelVmlinux(), false);
        }
        throw new HypervisorException("no kernel image available (checked " + settings.kernelBzImage() + ", "
                + settings.kernelVmlinux() + ")");
    }

    /** Stages the media of {@code spec}; the caller owns the returned files. */
    public StagedMedia stage(LaunchSpec spec, HostPaths paths) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(paths.runtimeDir());
            Files.createDirectories(paths.logDir());
            KernelChoice k = chooseKernel(spec.kernelOverride());
            Path kernel = paths.kernel(k.source());
            HostPaths.checkOptionPath(kernel);
            files.add(kernel);
            copyFile(k.source(), kernel);

            Path initramfs = stageInitramfs(spec, paths, k, files);

            Path rootfs = null;
            if (!spec.rootfs().isBlank()) {
                rootfs = paths.rootfs();
                HostPaths.checkOptionPath(rootfs);
                files.add(rootfs);
                artifacts.copyTo(spec.rootfs(), spec.rootfsChecksum(), rootfs);
            }
            List<StagedMedia.AttachedDisk> disks = new ArrayList<>();
            for (int i = 0; i < spec.disks().size(); i++) {
                LaunchSpec.Disk d = spec.disks().get(i);
                if (d.path().isBlank()) {
                    continue;
                }
                Path dl = paths.disk(i);
                files.add(dl);
                Path p = artifacts.diskSource(d.path().trim(), d.checksum(), dl);
                HostPaths.checkOptionPath(p);
                disks.add(new StagedMedia.AttachedDisk(p, diskFormat(d.format()), d.readonly()));
            }
            Path seed = null;
            if (spec.seedDisk() != null && !spec.seedDisk().path().isBlank()) {
                seed = Path.of(spec.seedDisk().path().trim());
                HostPaths.checkOptionPath(seed);
            }
            String cmdline = KernelCommandLine.forKernel(spec, kernel);
            return new StagedMedia(kernel, initramfs, rootfs, diskFormat(spec.rootfsFormat()), disks, seed, agentImage,
                    cmdline, files);
        } catch (IOException e) {
            removeAll(files);
            throw new HypervisorException("stage media for vm " + spec.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeAll(files);
            throw e;
        }
    }

    private Path stageInitramfs(LaunchSpec spec, HostPaths paths, KernelChoice k, List<Path> files)
            throws IOException {
        Path dst = paths.initramfs();
        HostPaths.checkOptionPath(dst);
        boolean plugin = !spec.initramfs().isBlank();
        Path base = null;
        if (!plugin && !spec.rootfs().isBlank()) {
            if (settings.baseInitramfs() != null) {
                base = settings.baseInitramfs();
            } else if (!k.embedsBaseInitramfs()) {
                throw new HypervisorException(
                        "rootfs-only boot needs a kernel with an embedded base initramfs or VOLANT_BASE_INITRAMFS");
            }
        }
        Path modules = settings.moduleArchive();
        if (!plugin && base == null && modules == null) {
            return null;
        }
        files.add(dst);
        Path body = null;
        if (plugin) {
            body = paths.runtimeDir().resolve(spec.name() + ".initramfs-plugin");
            files.add(body);
            artifacts.copyTo(spec.initramfs(), spec.initramfsChecksum(), body);
        } else if (base != null) {
            body = artifacts.localSource(base.toString());
        }
        // Linux unpacks concatenated newc archives in order and later files win (§9.6), so the module archive goes
        // first and can never overwrite the plugin's files.
        Path part = dst.resolveSibling(dst.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(part)) {
            if (modules != null) {
                try (InputStream in = Files.newInputStream(modules)) {
                    in.transferTo(out);
                }
            }
            if (body != null) {
                try (InputStream in = Files.newInputStream(body)) {
                    in.transferTo(out);
                }
            }
        } catch (IOException e) {
            ArtifactStore.deleteQuietly(part);
            throw e;
        }
        Files.move(part, dst, StandardCopyOption.REPLACE_EXISTING);
        if (plugin) {
            Files.deleteIfExists(body);
        }
        return dst;
    }

    /** The disk format QEMU and Cloud Hypervisor are told: {@code qcow2}, or {@code raw} for everything else. */
    public static String diskFormat(String f) {
        return "qcow2".equalsIgnoreCase(f == null ? "" : f.trim()) ? "qcow2" : "raw";
    }

    private static void copyFile(Path src, Path dst) throws IOException {
        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.setPosixFilePermissions(dst, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system: the default mode is fine
        }
    }

    /** Removes files (and their {@code .part} siblings); failures are logged. */
    public static void removeAll(List<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
                Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".part"));
            } catch (IOException e) {
                LOG.warn("cleanup failed file={} err={}", p, e.toString());
            }
        }
    }
}
