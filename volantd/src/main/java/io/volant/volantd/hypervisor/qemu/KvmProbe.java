package io.volant.volantd.hypervisor.qemu;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks that KVM really works, not just that {@code /dev/kvm} opens: some hosts (nested virtualisation without MSR
 * support, sandboxes) hand out a usable device on which QEMU aborts at vCPU setup ({@code failed to set MSR}).
 * Picking KVM there would make every VM launch fail, so {@code auto} falls back to TCG.
 *
 * <p>The probe starts the QEMU binary paused ({@code -S}) with KVM, which creates and resets the vCPU, then quits
 * over QMP on stdin; it takes a few tens of milliseconds.
 */
public final class KvmProbe {
    private static final long TIMEOUT_SECONDS = 20;

    private KvmProbe() {}

    /** @return empty when KVM works with {@code qemuBinary}, else why not */
    public static Optional<String> failure(Path qemuBinary) {
        List<String> argv = List.of(qemuBinary.toString(), "-machine", "q35,accel=kvm", "-cpu", "host", "-m", "64",
                "-nodefaults", "-no-user-config", "-display", "none", "-S", "-qmp", "stdio");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException exitedEarly) {
                // QEMU died before reading its input: the exit status below tells why
            }
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return Optional.of("kvm probe did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() == 0) {
                return Optional.empty();
            }
            return Optional.of("kvm probe exited with status " + p.exitValue() + ": " + lastLine(out));
        } catch (IOException e) {
            return Optional.of("kvm probe could not run " + qemuBinary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("kvm probe interrupted");
        }
    }

    private static String lastLine(byte[] out) {
        String text = new String(out, StandardCharsets.UTF_8).strip();
        String last = "";
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("{")) { // skip QMP's JSON greeting and replies
                last = line.strip();
                if (last.contains("error")) {
                    return last;
                }
            }
        }
        return last;
    }
}
