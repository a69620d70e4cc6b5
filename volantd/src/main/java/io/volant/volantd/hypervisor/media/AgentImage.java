package io.volant.volantd.hypervisor.media;

import io.volant.manifest.Checksums;
import io.volant.manifest.ManifestException;
import io.volant.volantd.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The shared read-only agent disk ({@code VOLANT_AGENT_IMAGE}, docs/guest.md "Agent image"): a squashfs of the agent
 * bundle that every VM gets as a virtio-blk disk with serial {@value #SERIAL}; the guest init mounts it on
 * {@code /opt/volant/agent}. The one place that builds the device for both launchers, so a cold boot, a template, its
 * clones and a resumed VM get it identically (a clone's device set must equal its template's). Thread-safe.
 */
public final class AgentImage {
    /** The virtio-blk serial the guest init looks for. */
    public static final String SERIAL = "volant-agent";

    private final Path path;
    private volatile Digest digest;

    public AgentImage(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    /**
     * QEMU's drive and device, read-only. It goes after the plugin's own disks so a rootfs keeps {@code /dev/vda}.
     *
     * @param blkDevice {@code virtio-blk-pci}, or {@code virtio-blk-device} on {@code microvm}
     */
    public List<String> qemuArgs(String blkDevice) {
        return List.of("-drive", "file=" + path + ",if=none,id=agent,format=raw,readonly=on",
                "-device", blkDevice + ",drive=agent,serial=" + SERIAL);
    }

    /** Cloud Hypervisor's {@code --disk} (the {@code serial} option exists since v28), read-only, after the others. */
    public List<String> chArgs() {
        return List.of("--disk", "path=" + path + ",readonly=true,serial=" + SERIAL);
    }

    /**
     * SHA-256 of the image, part of every template key (a rebuilt agent makes new templates: a clone must see the
     * disk its template's page cache was filled from). Hashed again only when size, mtime or inode changed.
     *
     * @throws HypervisorException when the image cannot be read
     */
    public String digest() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            String stamp = a.size() + ":" + a.lastModifiedTime().toMillis() + ":" + a.fileKey();
            Digest d = digest;
            if (d != null && d.stamp().equals(stamp)) {
                return d.sha256();
            }
            d = new Digest(stamp, Checksums.sha256Hex(path));
            digest = d;
            return d.sha256();
        } catch (IOException | ManifestException e) {
            throw new HypervisorException("agent image " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private record Digest(String stamp, String sha256) {}

}
