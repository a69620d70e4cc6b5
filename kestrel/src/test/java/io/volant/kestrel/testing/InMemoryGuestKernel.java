package io.volant.kestrel.testing;

import io.volant.kestrel.sys.GuestKernel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** In-memory {@link GuestKernel} twin: records seeds and clock settings; {@link #failReseed} makes the RNG refuse. */
public final class InMemoryGuestKernel implements GuestKernel {
    public final List<byte[]> seeds = new ArrayList<>();
    public Long wallClockMillis;
    public boolean failReseed;
    public int prepared;
    /** Runs inside every reseed, e.g. to let time pass as the real ioctl does. */
    public Runnable onReseed = () -> {};

    @Override
    public synchronized void reseedRandom(byte[] seed) throws IOException {
        if (failReseed) {
            throw new IOException("ioctl(RNDADDENTROPY) failed: Operation not permitted (errno 1)");
        }
        onReseed.run();
        seeds.add(seed.clone());
    }

    @Override
    public synchronized void setWallClock(long unixMillis) {
        wallClockMillis = unixMillis;
    }

    @Override
    public synchronized void prepare() {
        prepared++;
    }
}
