package io.volant.fledge.util;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The one boundary for external programs (skopeo, mksquashfs, mkfs.ext4, debugfs, builders). */
public interface CommandRunner {
    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs argv in {@code dir} (null = current) with extra env; never throws for a non-zero exit. */
    Result run(List<String> argv, Path dir, Map<String, String> env);

    /** Whether {@code program} can be found on PATH. */
    boolean available(String program);

    /** Runs and fails with {@code <program> failed (exit n): <stderr>} on a non-zero exit. */
    default Result check(List<String> argv, Path dir, Map<String, String> env) {
        Result r = run(argv, dir, env);
        if (!r.ok()) {
            String err = r.stderr().isBlank() ? r.stdout() : r.stderr();
            throw new FledgeException(argv.getFirst() + " failed (exit " + r.exitCode() + "): " + err.strip());
        }
        return r;
    }

    default Result check(List<String> argv) {
        return check(argv, null, Map.of());
    }
}
