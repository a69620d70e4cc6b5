package io.volant.volantd.cloudinit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the seed's files into one plain text file (sections {@code ==> user-data <==} etc.) instead of a FAT
 * image. Used by the {@code simulated} backend, where no guest reads the seed but its lifecycle (built, replaced,
 * removed) is real; real backends use the host-runtime FAT builder (host-runtime.md §5.5).
 */
public final class PlainSeedBuilder implements SeedBuilder {

    @Override
    public void build(SeedInput in, Path dest) {
        String userData = in.userData().isEmpty() ? "#cloud-config\n" : in.userData();
        String metaData = in.metaData().isEmpty()
                ? "instance-id: " + in.instanceId() + "\nlocal-hostname: " + in.hostname() + "\n" : in.metaData();
        StringBuilder sb = new StringBuilder();
        sb.append("==> user-data <==\n").append(userData).append('\n');
        sb.append("==> meta-data <==\n").append(metaData).append('\n');
        if (!in.networkConfig().isEmpty()) {
            sb.append("==> network-config <==\n").append(in.networkConfig()).append('\n');
        }
        try {
            Path tmp = dest.resolveSibling(dest.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SeedException("write seed " + dest + ": " + e.getMessage(), e);
        }
    }
}
