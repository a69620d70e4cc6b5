package io.volant.fledge.mapping;

import java.util.List;
import java.util.Locale;

/** §4.7 mode rules ({@code DetermineFileMode}); modes are plain permission bits (e.g. {@code 0755}). */
public final class FileModes {
    private static final List<String> EXEC_DIRS = List.of("/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/",
            "/usr/local/bin/", "/usr/local/sbin/", "/opt/bin/", "/opt/sbin/");
    private static final List<String> LIB_DIRS = List.of("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/",
            "/usr/local/lib/", "/usr/local/lib64/");

    private FileModes() {}

    /** First match wins: directory, executable source, executable dir, library, else 0644. */
    public static int determine(String dest, boolean sourceIsDirectory, int sourceMode) {
        if (sourceIsDirectory) {
            return 0755;
        }
        if ((sourceMode & 0111) != 0) {
            return normalizeExecutable(sourceMode);
        }
        if (isExecutableDir(dest)) {
            return 0755;
        }
        if (isLibrary(dest)) {
            return 0755;
        }
        return 0644;
    }

    /** Keeps the read/write bits and adds execute for each class that can read: 0744 → 0755, 0700 → 0700. */
    public static int normalizeExecutable(int mode) {
        int perm = mode & 0777;
        if ((perm & 0111) == 0) {
            return perm;
        }
        if ((perm & 0400) != 0) {
            perm |= 0100;
        }
        if ((perm & 0040) != 0) {
            perm |= 0010;
        }
        if ((perm & 0004) != 0) {
            perm |= 0001;
        }
        return perm;
    }

    public static boolean isExecutableDir(String path) {
        return underAny(path, EXEC_DIRS);
    }

    /** A shared library under a library dir: extension {@code .so} (any case) or {@code .so.} inside. */
    public static boolean isLibrary(String path) {
        if (!underAny(path, LIB_DIRS)) {
            return false;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".so") || lower.contains(".so.");
    }

    private static boolean underAny(String path, List<String> dirs) {
        for (String d : dirs) {
            if (path.startsWith(d) || path.equals(d.substring(0, d.length() - 1))) {
                return true;
            }
        }
        return false;
    }
}
