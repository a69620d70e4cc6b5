package io.volant.volantd.hypervisor.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The release string of a bzImage (host-runtime.md §9.6 step 1): the text before the first space of the
 * NUL-terminated string at (16-bit LE value at 0x20E) + 0x200. Used to check that a module tree fits the kernel.
 */
public final class KernelRelease {
    private KernelRelease() {}

    /** @return the release, or empty when the file is not a bzImage (no {@code HdrS} magic) */
    public static Optional<String> of(Path kernel) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(kernel)) {
            head = in.readNBytes(64 * 1024);
        }
        if (head.length < 0x210 || head[0x202] != 'H' || head[0x203] != 'd' || head[0x204] != 'r'
                || head[0x205] != 'S') {
            return Optional.empty();
        }
        int off = ((head[0x20E] & 0xFF) | (head[0x20F] & 0xFF) << 8) + 0x200;
        if (off >= head.length) {
            return Optional.empty();
        }
        int end = off;
        while (end < head.length && head[end] != 0 && head[end] != ' ') {
            end++;
        }
        return Optional.of(new String(head, off, end - off, StandardCharsets.US_ASCII));
    }
}
