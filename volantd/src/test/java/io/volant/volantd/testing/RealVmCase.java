package io.volant.volantd.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of real-VM tests (tag {@code vm}): each test gets a fresh {@link #dir} and, on a host that can boot VMs
 * ({@link GuestFixture#assumeVmHost}), the busybox test guest's {@link #initramfs} built in it.
 */
@Tag("vm")
public abstract class RealVmCase {
    @TempDir
    protected Path dir;
    protected Path initramfs;

    @BeforeEach
    void buildGuest() throws IOException {
        initramfs = GuestFixture.vmHostInitramfs(dir);
    }
}
