package io.volant.kestrel.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native side of a clone's identity, as far as a test may go on a shared host: the {@code rand_pool_info} layout
 * and the ioctl numbers; the calls themselves change the kernel's RNG and clock, so they run only in a guest
 * ({@code guest/test/template-clone-test.sh}). Errors name the call.
 */
class LinuxGuestKernelTest {
    @Test
    void rand_pool_info_credits_eight_bits_per_byte_and_carries_the_seed() {
        byte[] seed = new byte[64];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i + 1);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = LinuxGuestKernel.randPoolInfo(arena, seed);

            assertThat(info.byteSize()).isEqualTo(72);
            assertThat(info.get(ValueLayout.JAVA_INT, 0)).isEqualTo(512);
            assertThat(info.get(ValueLayout.JAVA_INT, 4)).isEqualTo(64);
            assertThat(info.asSlice(8).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(seed);
        }
    }

    @Test
    void ioctl_numbers_are_the_kernels() {
        // include/uapi/linux/random.h: _IOW('R', 0x03, int[2]) and _IO('R', 0x07)
        assertThat(LinuxGuestKernel.RNDADDENTROPY).isEqualTo((1L << 30) | (8L << 16) | ('R' << 8) | 0x03);
        assertThat(LinuxGuestKernel.RNDRESEEDCRNG).isEqualTo(('R' << 8) | 0x07);
    }

    @Test
    void a_missing_random_device_fails_naming_the_open() {
        assertThatThrownBy(() -> new LinuxGuestKernel("/nonexistent/urandom", Path.of("/nonexistent")).reseedRandom(new byte[64]))
                .isInstanceOf(IOException.class)
                .hasMessage("open(/nonexistent/urandom) failed: No such file or directory (errno 2)");
    }

    @Test
    void an_ioctl_the_device_does_not_know_fails_naming_the_call() {
        // /dev/null opens read-write but is no random device: RNDADDENTROPY is refused, nothing changes.
        assertThatThrownBy(() -> new LinuxGuestKernel("/dev/null", Path.of("/nonexistent")).reseedRandom(new byte[64]))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("ioctl(RNDADDENTROPY) failed: ");
    }

    @Test
    void a_tsc_clock_moves_to_the_hpet_when_there_is_one(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("current_clocksource"), "tsc\n");
        Files.writeString(dir.resolve("available_clocksource"), "tsc hpet acpi_pm \n");

        assertThat(LinuxGuestKernel.preferHpetOverTsc(dir)).isTrue();
        assertThat(Files.readString(dir.resolve("current_clocksource"))).isEqualTo("hpet");
    }

    @Test
    void kvm_clock_or_no_hpet_is_left_alone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("current_clocksource"), "kvm-clock\n");
        Files.writeString(dir.resolve("available_clocksource"), "kvm-clock tsc hpet acpi_pm\n");
        assertThat(LinuxGuestKernel.preferHpetOverTsc(dir)).isFalse();

        Files.writeString(dir.resolve("current_clocksource"), "tsc\n");
        Files.writeString(dir.resolve("available_clocksource"), "tsc acpi_pm\n");
        assertThat(LinuxGuestKernel.preferHpetOverTsc(dir)).isFalse();
        assertThat(Files.readString(dir.resolve("current_clocksource"))).isEqualTo("tsc\n");
        assertThat(LinuxGuestKernel.preferHpetOverTsc(dir.resolve("absent"))).isFalse();
    }

    @Test
    void prepare_links_both_calls_without_changing_the_clock_and_moves_the_clock_source(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("current_clocksource"), "tsc\n");
        Files.writeString(dir.resolve("available_clocksource"), "tsc hpet\n");
        long before = System.currentTimeMillis();

        new LinuxGuestKernel("/dev/urandom", dir).prepare();

        assertThat(Files.readString(dir.resolve("current_clocksource"))).isEqualTo("hpet");
        assertThat(System.currentTimeMillis()).isBetween(before, before + 60_000);
    }

    @Test
    void prepare_on_a_device_that_is_no_random_device_fails_naming_the_call() {
        assertThatThrownBy(() -> new LinuxGuestKernel("/dev/null", Path.of("/nonexistent")).prepare())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("ioctl(RNDGETENTCNT) failed: ");
    }
}
