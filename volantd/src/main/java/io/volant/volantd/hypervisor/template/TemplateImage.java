package io.volant.volantd.hypervisor.template;

import io.volant.volantd.hypervisor.LaunchSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved template (docs/templates.md): the warm guest's RAM file, its device state and the staged boot media its
 * clones reuse, plus the launch spec the template booted with (its guest-visible devices are every clone's).
 *
 * @param name      template name, {@code tpl-<key prefix>}; names its files
 * @param backend   launcher backend that made it
 * @param spec      the template's launch spec (name, MAC, devices, memory); clones replace only host-side values
 * @param ram       the RAM file (tmpfs under the runtime dir), mapped copy-on-write by clones
 * @param state     the saved device state
 * @param kernel    the staged kernel clones are started with
 * @param initramfs the staged initramfs, null when none
 * @param cmdline   the template's kernel command line (frozen in its RAM; clones get theirs on the identity channel)
 * @param files     every file the template owns (ram and state included); removed when it is discarded
 */
public record TemplateImage(String name, String backend, LaunchSpec spec, Path ram, Path state, Path kernel,
        Path initramfs, String cmdline, List<Path> files) {
    public TemplateImage {
        files = List.copyOf(files);
    }

    /** True when the files clones need are all there: RAM, state, kernel and initramfs. */
    public boolean intact() {
        return java.nio.file.Files.exists(ram) && java.nio.file.Files.exists(state)
                && (kernel == null || java.nio.file.Files.exists(kernel))
                && (initramfs == null || java.nio.file.Files.exists(initramfs));
    }

    /** Size of the RAM file (on tmpfs that is host memory, at most this much). */
    public long ramBytes() {
        return size(ram);
    }

    /** Bytes of every other file: device state and staged media. */
    public long diskBytes() {
        return files.stream().filter(f -> !f.equals(ram)).mapToLong(TemplateImage::size).sum();
    }

    private static long size(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
