package io.volant.kestrel.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link GuestKernel} through libc: {@code ioctl(RNDADDENTROPY)} + {@code ioctl(RNDRESEEDCRNG)} on
 * {@code /dev/urandom} (random(4); Debian's cloud kernel has no {@code CONFIG_VMGENID}, so nothing reseeds the CRNG
 * of a resumed clone by itself) and {@code clock_settime(CLOCK_REALTIME)}. Needs CAP_SYS_ADMIN and CAP_SYS_TIME,
 * which kestrel has as the init's child.
 */
public final class LinuxGuestKernel implements GuestKernel {
    /** {@code _IOW('R', 0x03, int[2])}. */
    static final long RNDADDENTROPY = 0x40085203L;
    /** {@code _IOR('R', 0x00, int)}: reads the entropy count, changes nothing. */
    static final long RNDGETENTCNT = 0x80045200L;
    /** {@code _IO('R', 0x07)}. */
    static final long RNDRESEEDCRNG = 0x5207L;
    static final int CLOCK_REALTIME = 0;
    static final int EINVAL = 22;

    private static final MethodHandle IOCTL = Libc.fn("ioctl", // int ioctl(int fd, unsigned long request, ...)
            FunctionDescriptor.of(Libc.INT, Libc.INT, Libc.LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOCK_SETTIME = Libc.fn("clock_settime",
            FunctionDescriptor.of(Libc.INT, Libc.INT, ValueLayout.ADDRESS));

    private final String randomDevice;
    private final Path clocksources;

    public LinuxGuestKernel() {
        this("/dev/urandom", Path.of("/sys/devices/system/clocksource/clocksource0"));
    }

    LinuxGuestKernel(String randomDevice, Path clocksources) {
        this.randomDevice = randomDevice;
        this.clocksources = clocksources;
    }

    @Override
    public void reseedRandom(byte[] seed) throws IOException {
        int fd = Libc.open(randomDevice, Libc.O_RDWR | Libc.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment info = randPoolInfo(arena, seed);
            Libc.check((int) IOCTL.invokeExact(state, fd, RNDADDENTROPY, info), state, "ioctl(RNDADDENTROPY)");
            Libc.check((int) IOCTL.invokeExact(state, fd, RNDRESEEDCRNG, MemorySegment.NULL), state,
                    "ioctl(RNDRESEEDCRNG)");
        } catch (Throwable t) {
            throw Libc.rethrow(t, "reseed");
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * Exercises both downcalls with harmless arguments: {@code ioctl(RNDGETENTCNT)} reads the entropy count, and
     * {@code clock_settime} with a negative {@code tv_nsec} is refused with EINVAL before anything is set (glibc
     * checks it; a null pointer would be dereferenced). The first call of a downcall handle spins classes at run time;
     * under an emulated CPU that cost a clone over a second after resume. Also moves the clock source now (see {@link #setWallClock}).
     */
    @Override
    public void prepare() throws IOException {
        preferHpetOverTsc(clocksources);
        int fd = Libc.open(randomDevice, Libc.O_RDWR | Libc.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment count = arena.allocate(Libc.INT);
            Libc.check((int) IOCTL.invokeExact(state, fd, RNDGETENTCNT, count), state, "ioctl(RNDGETENTCNT)");
            MemorySegment invalid = arena.allocate(16, 8);
            invalid.set(Libc.LONG, 8, -1L); // tv_nsec out of range: refused before anything is set
            int rc = (int) CLOCK_SETTIME.invokeExact(state, CLOCK_REALTIME, invalid);
            if (rc == 0 || Libc.errno(state) != EINVAL) {
                throw new IOException("clock_settime(CLOCK_REALTIME, tv_nsec=-1) returned " + rc + ", errno "
                        + Libc.errno(state) + ", expected EINVAL");
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t, "prepare");
        } finally {
            Libc.close(fd);
        }
    }

    /** {@code struct rand_pool_info { int entropy_count (bits); int buf_size (bytes); __u32 buf[]; }}. */
    static MemorySegment randPoolInfo(Arena arena, byte[] seed) {
        MemorySegment info = arena.allocate(8L + seed.length, 4);
        info.set(Libc.INT, 0, seed.length * 8);
        info.set(Libc.INT, 4, seed.length);
        MemorySegment.copy(seed, 0, info, ValueLayout.JAVA_BYTE, 8, seed.length);
        return info;
    }

    /**
     * Sets the clock and, when the kernel counts time with the TSC and an HPET is there, moves it to the HPET first.
     * Why: under QEMU TCG the guest calibrates its TSC at boot against emulated timers, and on a loaded host that
     * calibration is off by up to ~20 %; a clone inherits the template's rate and its clock drifted 1-2 s away from
     * the host's within seconds of being set. The HPET counts QEMU's virtual clock, i.e. the host's time. Under KVM
     * the kernel already runs on {@code kvm-clock} and nothing changes.
     */
    @Override
    public void setWallClock(long unixMillis) throws IOException {
        preferHpetOverTsc(clocksources);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            MemorySegment ts = arena.allocate(16, 8); // struct timespec { time_t tv_sec; long tv_nsec; }
            ts.set(Libc.LONG, 0, Math.floorDiv(unixMillis, 1000L));
            ts.set(Libc.LONG, 8, Math.floorMod(unixMillis, 1000L) * 1_000_000L);
            Libc.check((int) CLOCK_SETTIME.invokeExact(state, CLOCK_REALTIME, ts), state,
                    "clock_settime(CLOCK_REALTIME)");
        } catch (Throwable t) {
            throw Libc.rethrow(t, "clock");
        }
    }

    /** Switches {@code current_clocksource} from {@code tsc} to {@code hpet} when both are there; true if it did. */
    static boolean preferHpetOverTsc(Path dir) throws IOException {
        Path current = dir.resolve("current_clocksource");
        Path available = dir.resolve("available_clocksource");
        if (!Files.isReadable(current) || !Files.isReadable(available)
                || !Files.readString(current, StandardCharsets.US_ASCII).strip().equals("tsc")
                || !List.of(Files.readString(available, StandardCharsets.US_ASCII).strip().split("\\s+"))
                .contains("hpet")) {
            return false;
        }
        Files.writeString(current, "hpet", StandardCharsets.US_ASCII);
        return true;
    }
}
