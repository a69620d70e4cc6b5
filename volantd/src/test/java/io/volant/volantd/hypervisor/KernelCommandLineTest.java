package io.volant.volantd.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.volant.manifest.KernelCmdline;
import io.volant.volantd.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one kernel-command-line builder: the stored line per network mode, the full line's order and size bound. */
class KernelCommandLineTest {
    private static final Pattern TOO_LONG = Pattern.compile("kernel command line too long \\((\\d+) > (\\d+) bytes\\)");

    @TempDir
    Path dir;

    @Property(tries = 100)
    void the_stored_line_is_the_base_of_the_network_mode_then_the_trimmed_extras(
            @ForAll("modes") String mode, @ForAll("extras") String extras) {
        String base = KernelCmdline.base(mode, "10.0.0.5", "10.0.0.1", "255.255.255.0", "web-1");
        assertThat(KernelCommandLine.stored(mode, "10.0.0.5", "10.0.0.1", "255.255.255.0", "web-1", extras))
                .isEqualTo(extras.isBlank() ? base : base + " " + extras.trim());
    }

    @Provide
    Arbitrary<String> modes() {
        return Arbitraries.of("", "bridged", "vsock", "dhcp");
    }

    @Provide
    Arbitrary<String> extras() {
        return Arbitraries.of("", "   ", "quiet", "  loglevel=7 quiet  ");
    }

    @Provide
    Arbitrary<Map<String, String>> args() {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .map(k -> "volant." + k);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40)
                .filter(v -> !v.contains("\"") && !v.contains("'"));
        return Arbitraries.maps(keys, values).ofMaxSize(8);
    }

    @Property(tries = 300)
    void the_full_line_is_the_stored_line_then_every_argument_sorted_by_key(
            @ForAll("args") Map<String, String> args) {
        String stored = KernelCommandLine.stored("bridged", "10.0.0.5", "10.0.0.1", "255.255.255.0", "web", "quiet");
        String full = KernelCommandLine.forLimit(spec(stored, args), 1 << 16);

        assertThat(full).startsWith(stored);
        String[] tokens = full.substring(stored.length()).trim().split(" ");
        Map<String, String> back = new TreeMap<>();
        for (String t : tokens) {
            if (!t.isEmpty()) {
                int eq = t.indexOf('=');
                back.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
            }
        }
        assertThat(back).isEqualTo(new TreeMap<>(args));
        String[] keys = Arrays.stream(tokens).filter(t -> !t.isEmpty()).map(t -> t.split("=", 2)[0])
                .toArray(String[]::new);
        assertThat(keys).isSorted();
    }

    @Property(tries = 300)
    void the_full_line_fits_the_limit_or_is_refused_naming_length_and_limit(
            @ForAll @IntRange(min = 0, max = 3000) int extraBytes, @ForAll @IntRange(min = 64, max = 4096) int limit) {
        String stored = KernelCommandLine.stored("bridged", "10.0.0.5", "10.0.0.1", "255.255.255.0", "web",
                "x".repeat(extraBytes));
        LaunchSpec spec = spec(stored, Map.of("volant.runtime", "caddy"));
        try {
            String full = KernelCommandLine.forLimit(spec, limit);
            assertThat(full.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit);
        } catch (HypervisorException e) {
            Matcher m = TOO_LONG.matcher(e.getMessage());
            assertThat(m.matches()).as(e.getMessage()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isGreaterThan(limit);
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(limit);
        }
    }

    @Property(tries = 200)
    void the_early_check_refuses_exactly_what_the_default_limit_refuses(
            @ForAll @IntRange(min = 1800, max = 2200) int extraBytes) {
        String stored = KernelCommandLine.stored("bridged", "10.0.0.5", "10.0.0.1", "255.255.255.0", "web",
                "x".repeat(extraBytes));
        Map<String, String> args = Map.of("volant.runtime", "caddy");
        boolean fits;
        try {
            KernelCommandLine.forLimit(spec(stored, args), KernelCommandLine.DEFAULT_LIMIT);
            fits = true;
        } catch (HypervisorException e) {
            fits = false;
        }
        if (fits) {
            KernelCommandLine.checkFits(stored, args);
        } else {
            assertThatThrownBy(() -> KernelCommandLine.checkFits(stored, args))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageMatching(TOO_LONG.pattern());
        }
    }

    @Test
    void a_kernel_without_a_bzimage_header_gets_the_default_limit() throws Exception {
        Path vmlinux = Files.writeString(dir.resolve("vmlinux"), "not a bzImage");
        String stored = KernelCommandLine.stored("vsock", "", "10.0.0.1", "255.255.255.0", "web", "x".repeat(2100));

        assertThatThrownBy(() -> KernelCommandLine.forKernel(spec(stored, Map.of()), vmlinux))
                .isInstanceOf(HypervisorException.class)
                .hasMessageMatching("kernel command line too long \\(\\d+ > 2047 bytes\\)");
        assertThat(KernelCommandLine.forKernel(spec("console=ttyS0", Map.of("volant.boot", "initramfs")), vmlinux))
                .isEqualTo("console=ttyS0 volant.boot=initramfs");
    }

    private static LaunchSpec spec(String stored, Map<String, String> args) {
        return LaunchSpec.builder().name("web").cpuCores(1).memoryMb(128).kernelCmdline(stored).args(args).build();
    }
}
