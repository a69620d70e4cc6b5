package io.volant.volantd.cloudinit;

import java.nio.file.Path;

/** Builds cloud-init NoCloud seed images labelled {@code CIDATA} (host-runtime.md §5). Thread-safe. */
public interface SeedBuilder {

    /**
     * Writes the seed image to {@code dest} (replacing it). Blocking.
     *
     * @throws SeedException when the image cannot be built
     */
    void build(SeedInput input, Path dest);
}
