package io.volant.kestrel.sys;

import java.io.IOException;

/**
 * The guest kernel state a clone must renew after resuming from a template (the identity protocol): its random
 * number generator and its wall clock. One external effect; {@link LinuxGuestKernel} is the real one, tests use an
 * in-memory twin.
 */
public interface GuestKernel {
    /**
     * Mixes {@code seed} into the kernel's input pool, credited in full ({@code 8 × seed.length} bits), then forces
     * the CRNG to reseed at once, so no output after this call derives from the template's RNG state alone.
     *
     * @throws IOException when either step fails (e.g. no CAP_SYS_ADMIN)
     */
    void reseedRandom(byte[] seed) throws IOException;

    /** Sets {@code CLOCK_REALTIME} to {@code unixMillis}. */
    void setWallClock(long unixMillis) throws IOException;

    /**
     * Does, in a template, what the two calls above need that no identity changes (linking the native calls,
     * loading their classes, choosing the clock source), without changing the RNG or the clock, so that every clone
     * inherits it instead of paying for it after resume.
     *
     * @throws IOException when a step fails; the calls above then pay for it in each clone, nothing else changes
     */
    void prepare() throws IOException;
}
