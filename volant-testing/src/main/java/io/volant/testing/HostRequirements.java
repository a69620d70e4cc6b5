package io.volant.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place where a test states a tool or privilege it needs. On a developer machine a missing one skips the
 * test (JUnit assumption); under {@code CI=true} it fails it instead, because CI runs as root with every tool
 * installed, so a skip there means the environment broke and would otherwise go unnoticed.
 *
 * <p>Only for tools and privileges: opt-in runs (benchmarks), absent optional data and earlier failed steps keep
 * plain assumptions.
 */
public final class HostRequirements {
    private HostRequirements() {}

    /** Skips (or under {@code CI=true} fails) the test unless {@code met}; {@code what} names the need. */
    public static void require(boolean met, String what) {
        require(met, what, System.getenv("CI"));
    }

    static void require(boolean met, String what, String ci) {
        if (met) {
            return;
        }
        if ("true".equalsIgnoreCase(ci)) {
            Assertions.fail("CI=true but this host lacks what the test needs: " + what);
        }
        Assumptions.assumeTrue(false, what);
    }

    /** True when running as root (uid 0). */
    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** True when {@code tool} is an executable on {@code PATH}. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
